package io.phasegrid.common.simulate;

import io.phasegrid.common.analysis.Analysis;
import io.phasegrid.common.analysis.TokenMath;
import io.phasegrid.common.graph.DispatchOrder;
import io.phasegrid.common.graph.PhaseGraph;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * Simulates schedules of an analysed roadmap from the phases' estimated tokens, without running anything. The
 * phases simulated are those the analysis scheduled (wave &gt; 0). All schedules are computed in token units and
 * converted to minutes at the end, so they are exact; each runs in O((n + e) log n) without recursion.
 */
public final class ScheduleSimulator {

    private final DurationModel durations;

    public ScheduleSimulator(DurationModel durations) {
        this.durations = durations;
    }

    public static ScheduleSimulator withDefaults() {
        return new ScheduleSimulator(DurationModel.defaults());
    }

    /**
     * @param groups explicit groups run one after another (keys); null or empty to use the analysis' waves
     * @param slots phases that may run at once, at least 1
     * @throws IllegalArgumentException when the analysis has errors, slots &lt; 1 or a group names an unknown key
     */
    public Simulation simulate(Analysis analysis, List<List<String>> groups, int slots) {
        if (analysis.hasErrors()) {
            throw new IllegalArgumentException("cannot simulate a roadmap with errors: " + analysis.errors().get(0));
        }
        if (slots < 1) {
            throw new IllegalArgumentException("slots must be at least 1: " + slots);
        }
        PhaseGraph graph = analysis.graph();
        int n = graph.size();
        long[] tokens = new long[n];
        boolean[] scheduled = new boolean[n];
        long total = 0;
        for (int v = 0; v < n; v++) {
            tokens[v] = analysis.phases().get(v).estimatedTokens();
            scheduled[v] = analysis.phases().get(v).wave() > 0;
            if (scheduled[v]) {
                total = TokenMath.add(total, tokens[v]);
            }
        }
        List<List<String>> explicit = groups == null || groups.isEmpty() ? analysis.waves() : groups;
        int[][] groupNodes = resolve(graph, explicit);
        long groupTokens = 0;
        long groupsTime = 0;
        for (int[] group : groupNodes) {
            long longest = 0;
            for (int v : group) {
                groupTokens = TokenMath.add(groupTokens, tokens[v]);
                longest = Math.max(longest, tokens[v]);
            }
            groupsTime = TokenMath.add(groupsTime, longest);
        }

        int[][] waves = resolve(graph, analysis.waves());
        // the coordinator's own dispatch order: what is predicted here is what a run leases
        DispatchOrder dispatch = DispatchOrder.compute(graph, scheduled, tokens, false);
        long criticalPath = 0;
        for (int v = 0; v < n; v++) {
            criticalPath = Math.max(criticalPath, dispatch.priority(v));
        }
        IntHeap.Order priority = dispatch::before;

        long waveBarrier = 0;
        for (int[] wave : waves) {
            waveBarrier = TokenMath.add(waveBarrier, listSchedule(wave, tokens, slots, priority));
        }
        List<ScheduledPhase> schedule = new ArrayList<>();
        long eager = dependencyDriven(graph, scheduled, tokens, slots, priority, schedule);
        double lowerBound = Math.max(durations.minutes(criticalPath), durations.minutes(total) / slots);

        return new Simulation(slots, total, durations.minutes(total), explicit, groupTokens,
                durations.minutes(groupsTime), durations.minutes(waveBarrier), durations.minutes(eager),
                durations.minutes(criticalPath), lowerBound, schedule, groupOrderProblems(graph, groupNodes));
    }

    /** Phases grouped with or before something they depend on; groups are numbered from 1. */
    private static List<String> groupOrderProblems(PhaseGraph graph, int[][] groups) {
        int[] groupOf = new int[graph.size()];
        for (int g = 0; g < groups.length; g++) {
            for (int v : groups[g]) {
                groupOf[v] = g + 1;
            }
        }
        List<String> problems = new ArrayList<>();
        for (int g = 0; g < groups.length; g++) {
            for (int v : groups[g]) {
                for (int s = graph.predecessorStart(v); s < graph.predecessorEnd(v); s++) {
                    int u = graph.predecessor(s);
                    if (groupOf[u] >= g + 1) {
                        problems.add(graph.key(v) + " (group " + (g + 1) + ") depends on " + graph.key(u)
                                + " (group " + groupOf[u] + ")");
                    }
                }
            }
        }
        return problems;
    }

    private static int[][] resolve(PhaseGraph graph, List<List<String>> groups) {
        int[][] nodes = new int[groups.size()][];
        List<String> unknown = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            List<String> group = groups.get(g);
            nodes[g] = new int[group.size()];
            for (int i = 0; i < group.size(); i++) {
                OptionalInt index = graph.indexOf(group.get(i));
                if (index.isEmpty()) {
                    unknown.add(group.get(i));
                } else {
                    nodes[g][i] = index.getAsInt();
                }
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown phase keys in groups: " + String.join(", ", unknown));
        }
        return nodes;
    }

    /** Makespan of independent phases on {@code slots} slots: each, by priority, on the slot free first. */
    private static long listSchedule(int[] phases, long[] tokens, int slots, IntHeap.Order priority) {
        IntHeap byPriority = new IntHeap(priority, phases.length);
        for (int v : phases) {
            byPriority.add(v);
        }
        int used = Math.min(slots, phases.length);
        long[] freeAt = new long[used];
        IntHeap slotsByFreeTime = new IntHeap((a, b) -> freeAt[a] < freeAt[b] || (freeAt[a] == freeAt[b] && a < b),
                used);
        for (int s = 0; s < used; s++) {
            slotsByFreeTime.add(s);
        }
        long makespan = 0;
        while (!byPriority.isEmpty()) {
            int v = byPriority.poll();
            int slot = slotsByFreeTime.poll();
            freeAt[slot] = TokenMath.add(freeAt[slot], tokens[v]);
            makespan = Math.max(makespan, freeAt[slot]);
            slotsByFreeTime.add(slot);
        }
        return makespan;
    }

    private long dependencyDriven(PhaseGraph graph, boolean[] scheduled, long[] tokens, int slots,
            IntHeap.Order priority, List<ScheduledPhase> schedule) {
        int n = graph.size();
        int[] waiting = new int[n];
        IntHeap ready = new IntHeap(priority, 16);
        for (int v = 0; v < n; v++) {
            if (!scheduled[v]) {
                continue;
            }
            for (int s = graph.predecessorStart(v); s < graph.predecessorEnd(v); s++) {
                if (scheduled[graph.predecessor(s)]) {
                    waiting[v]++;
                }
            }
            if (waiting[v] == 0) {
                ready.add(v);
            }
        }
        long[] start = new long[n];
        long[] end = new long[n];
        int[] slotOf = new int[n];
        int[] startOrder = new int[n];
        int started = 0;
        IntHeap running = new IntHeap((a, b) -> end[a] < end[b] || (end[a] == end[b] && a < b), Math.min(slots, n));
        IntHeap freeSlots = new IntHeap((a, b) -> a < b, Math.min(slots, n));
        for (int s = 0; s < slots && s < n; s++) {
            freeSlots.add(s);
        }
        long now = 0;
        while (!ready.isEmpty() || !running.isEmpty()) {
            while (!ready.isEmpty() && !freeSlots.isEmpty()) {
                int v = ready.poll();
                slotOf[v] = freeSlots.poll();
                start[v] = now;
                end[v] = TokenMath.add(now, tokens[v]);
                running.add(v);
                startOrder[started++] = v;
            }
            now = end[running.peek()];
            while (!running.isEmpty() && end[running.peek()] == now) {
                int v = running.poll();
                freeSlots.add(slotOf[v]);
                for (int s = graph.successorStart(v); s < graph.successorEnd(v); s++) {
                    int w = graph.successor(s);
                    if (scheduled[w] && --waiting[w] == 0) {
                        ready.add(w);
                    }
                }
            }
        }
        for (int i = 0; i < started; i++) {
            int v = startOrder[i];
            schedule.add(new ScheduledPhase(graph.key(v), slotOf[v], durations.minutes(start[v]),
                    durations.minutes(end[v])));
        }
        return now;
    }
}
