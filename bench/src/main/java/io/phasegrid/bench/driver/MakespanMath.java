package io.phasegrid.bench.driver;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The pure computations of {@link MakespanDriver}: the lower bound of a run's makespan from its phases' estimates
 * and dependencies, and the decomposition of a measured makespan along the chain of events that determined it.
 */
final class MakespanMath {

    private MakespanMath() {
    }

    /**
     * One phase of a finished run: estimate, dependencies (keys of other phases of the run) and, for a measured
     * run, when it was leased and when it finished (coordinator clock, ms; 0 when not run).
     */
    record PhaseTiming(String key, long estimatedTokens, List<String> dependsOn, long startedAtMs,
            long finishedAtMs) {

        PhaseTiming {
            dependsOn = List.copyOf(dependsOn);
        }

        /** A phase that has not run (for lower-bound computations only). */
        static PhaseTiming of(String key, long estimatedTokens, String... dependsOn) {
            return new PhaseTiming(key, estimatedTokens, List.of(dependsOn), 0, 0);
        }
    }

    /**
     * {@code max(critical path, total work / slots)} in tokens.
     *
     * @param criticalPathTokens the longest dependency chain, by estimate
     * @param totalTokens the sum of the estimates
     */
    record LowerBound(long criticalPathTokens, long totalTokens, int slots) {

        double tokens() {
            return Math.max((double) criticalPathTokens, (double) totalTokens / slots);
        }

        /** The bound at {@code msPer1000Tokens} milliseconds per 1,000 estimated tokens (the simulate time scale). */
        double millis(double msPer1000Tokens) {
            return tokens() * msPer1000Tokens / 1_000.0;
        }

        boolean pathBound() {
            return criticalPathTokens >= (double) totalTokens / slots;
        }
    }

    /**
     * The lower bound of any schedule of {@code phases} on {@code slots} slots. Dependencies on keys that are not
     * among the phases are ignored (a skipped phase counts as done).
     *
     * @throws IllegalArgumentException on a cycle or slots &lt; 1
     */
    static LowerBound lowerBound(List<PhaseTiming> phases, int slots) {
        if (slots < 1) {
            throw new IllegalArgumentException("slots must be at least 1: " + slots);
        }
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < phases.size(); i++) {
            index.put(phases.get(i).key(), i);
        }
        int n = phases.size();
        int[] waiting = new int[n];
        List<List<Integer>> dependents = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            dependents.add(new ArrayList<>());
        }
        long total = 0;
        for (int i = 0; i < n; i++) {
            total += phases.get(i).estimatedTokens();
            for (String dep : phases.get(i).dependsOn()) {
                Integer j = index.get(dep);
                if (j != null) {
                    waiting[i]++;
                    dependents.get(j).add(i);
                }
            }
        }
        // Kahn: longest path ending at each phase, the phase included
        long[] finish = new long[n];
        long[] startAfter = new long[n];
        ArrayDeque<Integer> ready = new ArrayDeque<>();
        for (int i = 0; i < n; i++) {
            if (waiting[i] == 0) {
                ready.add(i);
            }
        }
        int done = 0;
        long critical = 0;
        while (!ready.isEmpty()) {
            int v = ready.poll();
            done++;
            finish[v] = startAfter[v] + phases.get(v).estimatedTokens();
            critical = Math.max(critical, finish[v]);
            for (int w : dependents.get(v)) {
                startAfter[w] = Math.max(startAfter[w], finish[v]);
                if (--waiting[w] == 0) {
                    ready.add(w);
                }
            }
        }
        if (done != n) {
            throw new IllegalArgumentException("dependency cycle among " + (n - done) + " phases");
        }
        return new LowerBound(critical, total, slots);
    }

    /**
     * A measured makespan split along its realized chain: starting from the phase that finished last, each step
     * goes back to the phase whose completion came last at or before this phase's lease (the event that let it
     * start: a dependency or the slot it took). Then exactly {@code makespan = leadMs + phaseWallMs + gapMs}.
     *
     * @param phases phases on the chain
     * @param nominalMs their simulated durations (estimate x time scale)
     * @param phaseWallMs the sum of their lease -> finished times (nominal + sleep overshoot + lease delivery,
     *     thread hand-off and the completion report)
     * @param gapMs the sum of the gaps between a completion and the next lease on the chain (the coordinator
     *     processing the completion and a poll being answered)
     * @param leadMs run start (first lease) to the lease of the chain's first phase
     */
    record Chain(int phases, double nominalMs, long phaseWallMs, long gapMs, long leadMs) {

        long makespanMs() {
            return leadMs + phaseWallMs + gapMs;
        }

        /** Phase wall time beyond the nominal duration, summed over the chain. */
        double overrunMs() {
            return phaseWallMs - nominalMs;
        }

        /** Everything that is not simulated work, per phase of the chain. */
        double overheadPerPhaseMs() {
            return phases == 0 ? 0 : (overrunMs() + gapMs + leadMs) / phases;
        }
    }

    /**
     * The realized chain of a finished run whose phases all ran (started and finished set).
     *
     * @param runStartedAtMs the run's first lease
     */
    static Chain chain(List<PhaseTiming> phases, long runStartedAtMs, double msPer1000Tokens) {
        List<PhaseTiming> byFinish = new ArrayList<>(phases);
        byFinish.sort(Comparator.comparingLong(PhaseTiming::finishedAtMs));
        if (byFinish.isEmpty()) {
            return new Chain(0, 0, 0, 0, 0);
        }
        int count = 0;
        double nominal = 0;
        long wall = 0;
        long gaps = 0;
        int at = byFinish.size() - 1;
        PhaseTiming p = byFinish.get(at);
        while (true) {
            count++;
            nominal += p.estimatedTokens() * msPer1000Tokens / 1_000.0;
            wall += p.finishedAtMs() - p.startedAtMs();
            int prev = lastFinishedAtOrBefore(byFinish, p.startedAtMs(), at - 1);
            if (prev < 0) {
                return new Chain(count, nominal, wall, gaps, p.startedAtMs() - runStartedAtMs);
            }
            PhaseTiming q = byFinish.get(prev);
            gaps += p.startedAtMs() - q.finishedAtMs();
            p = q;
            at = prev;
        }
    }

    /**
     * Index in {@code byFinish} (sorted by completion) of the latest completion at or before {@code t} among the
     * first {@code last + 1}; -1 if none. Bounding the search by the current phase's index makes the walk end.
     */
    private static int lastFinishedAtOrBefore(List<PhaseTiming> byFinish, long t, int last) {
        int lo = 0;
        int hi = last;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (byFinish.get(mid).finishedAtMs() <= t) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** Mean of (lease -> finished) minus the nominal duration over all phases. */
    static double meanOverrunMs(List<PhaseTiming> phases, double msPer1000Tokens) {
        if (phases.isEmpty()) {
            return 0;
        }
        double sum = 0;
        for (PhaseTiming p : phases) {
            sum += (p.finishedAtMs() - p.startedAtMs()) - p.estimatedTokens() * msPer1000Tokens / 1_000.0;
        }
        return sum / phases.size();
    }

    /**
     * Where a phase's time beyond its nominal duration goes, as means over the phases (ms): {@code deliveryMs}
     * lease (coordinator) -> the poll answer back at the worker; {@code workerMs} poll answer -> CompletePhase sent,
     * minus the nominal duration (slot hand-off, workspace folder, sleep overshoot, report queue); {@code reportMs}
     * CompletePhase sent -> the coordinator's finished time. Their sum is {@link #meanOverrunMs}.
     */
    record OverrunSplit(double deliveryMs, double workerMs, double reportMs, int phases) {
    }

    /**
     * @param workerTimes per phase key: {received at the worker, CompletePhase sent} (epoch ms); phases missing
     *     from it are left out
     */
    static OverrunSplit overrunSplit(List<PhaseTiming> phases, Map<String, long[]> workerTimes,
            double msPer1000Tokens) {
        double delivery = 0;
        double worker = 0;
        double report = 0;
        int n = 0;
        for (PhaseTiming p : phases) {
            long[] t = workerTimes.get(p.key());
            if (t == null || t[0] == 0 || t[1] == 0) {
                continue;
            }
            n++;
            delivery += t[0] - p.startedAtMs();
            worker += t[1] - t[0] - p.estimatedTokens() * msPer1000Tokens / 1_000.0;
            report += p.finishedAtMs() - t[1];
        }
        return n == 0 ? new OverrunSplit(0, 0, 0, 0) : new OverrunSplit(delivery / n, worker / n, report / n, n);
    }
}
