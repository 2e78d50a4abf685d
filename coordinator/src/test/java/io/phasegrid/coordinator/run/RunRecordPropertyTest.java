package io.phasegrid.coordinator.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.phasegrid.common.settings.Schedule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random DAGs driven by random interleavings of the transitions; the invariants hold after every step and every run
 * can be driven to success.
 */
class RunRecordPropertyTest {

    private static final long TTL = 10_000;

    /** Phase i depends on up to {@code maxDeps} random earlier phases; some phases are complete (skipped). */
    static RunBlueprint randomDag(SplittableRandom rnd, int n, int maxDeps, double completeShare,
            RunSettings settings) {
        RunBlueprint.Builder b = RunBlueprint.builder();
        for (int i = 0; i < n; i++) {
            int k = i == 0 ? 0 : rnd.nextInt(Math.min(i, maxDeps) + 1);
            String[] deps = new String[k];
            for (int j = 0; j < k; j++) {
                deps[j] = "p" + rnd.nextInt(i); // duplicates are deduplicated by the blueprint
            }
            long estimate = 1 + rnd.nextInt(1_000);
            if (rnd.nextDouble() < completeShare) {
                b.completePhase("p" + i, estimate, deps);
            } else {
                b.phase("p" + i, estimate, deps);
            }
        }
        return b.build(settings);
    }

    @Test
    void aTenThousandPhaseRunCompletesWithEveryPhaseSucceedingExactlyOnce() {
        SplittableRandom rnd = new SplittableRandom(42);
        RunBlueprint bp = randomDag(rnd, 10_000, 3, 0.0, RunSettings.builder().maxParallel(128).build());
        RunRecord run = RunRecord.create("big", "big", bp, 0);
        int[] successes = new int[bp.size()];
        long now = 0;
        List<LeaseGrant> inFlight = new ArrayList<>();
        int rounds = 0;

        while (!run.state().isFinished()) {
            assertThat(++rounds).isLessThan(100_000);
            List<LeaseGrant> granted = run.lease("w" + (rounds % 4), 32, now, TTL);
            for (LeaseGrant g : granted) {
                assertDependenciesSucceeded(run, g.phase());
            }
            inFlight.addAll(granted);
            // a grant drops closed leases from the deadline heap once they outnumber open ones
            if (!granted.isEmpty()) {
                assertThat(run.deadlineEntries()).isLessThanOrEqualTo(2 * run.runningCount() + 65);
            }
            // complete the older half of what is in flight, in lease order
            int done = Math.max(1, inFlight.size() / 2);
            for (int k = 0; k < done && !inFlight.isEmpty(); k++) {
                LeaseGrant g = inFlight.remove(0);
                CompleteResult r = run.complete(g.phase(), g.epoch(), Outcome.SUCCEEDED, g.estimatedTokens(), "",
                        now);
                assertThat(r.accepted()).isTrue();
                successes[g.phase()]++;
            }
            now++;
        }

        assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(successes).containsOnly(1);
        assertThat(run.count(PhaseState.SUCCEEDED)).isEqualTo(10_000);
        assertThat(run.maxParallelism()).isLessThanOrEqualTo(128).isGreaterThan(32);
        long estimates = 0;
        for (int i = 0; i < bp.size(); i++) {
            estimates += bp.estimatedTokens(i);
        }
        assertThat(run.tokensUsed()).isEqualTo(estimates);
        assertThat(run.tokensReserved()).isZero();
    }

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 150);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void randomInterleavingsKeepTheInvariantsAndTheRunCanAlwaysFinish(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int maxParallel = 1 + rnd.nextInt(6);
        RunSettings settings = RunSettings.builder()
                .maxParallel(maxParallel)
                .schedule(rnd.nextBoolean() ? Schedule.EAGER : Schedule.WAVES)
                .retry(new RetryPolicy(1 + rnd.nextInt(3), 100, 2.0, 1_000))
                .leaseTtlMs(TTL)
                .build();
        RunBlueprint bp = randomDag(rnd, 5 + rnd.nextInt(60), 4, 0.1, settings);
        Checker c = new Checker(RunRecord.create("r" + seed, "prop", bp, 0), rnd);

        for (int step = 0; step < 400 && !c.run.state().isFinished(); step++) {
            c.randomStep();
        }
        c.drainToSuccess();

        assertThat(c.run.state()).isEqualTo(RunState.SUCCEEDED);
        for (int i = 0; i < bp.size(); i++) {
            assertThat(c.run.phaseState(i).satisfiesDependents()).isTrue();
        }
    }

    private static void assertDependenciesSucceeded(RunRecord run, int phase) {
        RunBlueprint bp = run.blueprint();
        for (int k = 0; k < bp.dependencyCount(phase); k++) {
            int d = bp.dependency(phase, k);
            assertThat(run.phaseState(d).satisfiesDependents())
                    .as("%s leased before its dependency %s succeeded", bp.key(phase), bp.key(d)).isTrue();
        }
    }

    /** Drives a run with random operations and checks the invariants after each. */
    private static final class Checker {
        final RunRecord run;
        final RunBlueprint bp;
        final SplittableRandom rnd;
        final long[] lastEpoch;
        final int[] successes;
        final Map<Integer, LeaseGrant> open = new HashMap<>();
        final List<LeaseGrant> old = new ArrayList<>();
        long now;

        Checker(RunRecord run, SplittableRandom rnd) {
            this.run = run;
            this.bp = run.blueprint();
            this.rnd = rnd;
            this.lastEpoch = new long[bp.size()];
            this.successes = new int[bp.size()];
        }

        void randomStep() {
            now += rnd.nextInt(3_000);
            int op = rnd.nextInt(100);
            if (op < 35) {
                lease(1 + rnd.nextInt(4));
            } else if (op < 60) {
                completeRandom(rnd.nextInt(10) < 7 ? Outcome.SUCCEEDED
                        : rnd.nextBoolean() ? Outcome.FAILED : Outcome.ABANDONED);
            } else if (op < 70) {
                heartbeatRandom();
            } else if (op < 80) {
                staleReport();
            } else if (op < 88) {
                expire(now + rnd.nextInt((int) TTL * 2));
            } else if (op < 93) {
                unfunded();
            } else if (op < 96) {
                run.resume(now);
            } else if (op < 98) {
                cancelAndRetry();
            } else {
                expire(now);
            }
            checkInvariants();
        }

        void lease(int max) {
            List<LeaseGrant> grants = run.lease("w" + rnd.nextInt(3), max, now, TTL);
            for (LeaseGrant g : grants) {
                assertDependenciesSucceeded(run, g.phase());
                assertThat(g.epoch()).as("epochs strictly increase").isGreaterThan(lastEpoch[g.phase()]);
                assertThat(run.phase(g.phase()).notBeforeMs()).isLessThanOrEqualTo(now);
                if (bp.settings().schedule() == Schedule.WAVES) {
                    assertThat(bp.wave(g.phase())).isEqualTo(run.currentWave());
                }
                lastEpoch[g.phase()] = g.epoch();
                LeaseGrant previous = open.put(g.phase(), g);
                if (previous != null) {
                    old.add(previous);
                }
            }
        }

        LeaseGrant pickOpen() {
            if (open.isEmpty()) {
                return null;
            }
            List<Integer> keys = new ArrayList<>(open.keySet());
            keys.sort(null);
            return open.get(keys.get(rnd.nextInt(keys.size())));
        }

        void completeRandom(Outcome outcome) {
            LeaseGrant g = pickOpen();
            if (g == null) {
                return;
            }
            boolean held = run.leaseOpen(g.phase()) && run.epoch(g.phase()) == g.epoch();
            CompleteResult r = run.complete(g.phase(), g.epoch(), outcome, 10, "e", now);
            assertThat(r.accepted()).isEqualTo(held);
            open.remove(g.phase());
            old.add(g);
            if (r.accepted() && r.phaseState() == PhaseState.SUCCEEDED) {
                successes[g.phase()]++;
            }
        }

        void heartbeatRandom() {
            LeaseGrant g = pickOpen();
            if (g != null) {
                run.heartbeat(g.phase(), g.epoch(), now, TTL);
            }
        }

        void staleReport() {
            if (old.isEmpty()) {
                return;
            }
            LeaseGrant g = old.get(rnd.nextInt(old.size()));
            if (run.epoch(g.phase()) == g.epoch() && run.leaseOpen(g.phase())) {
                return; // not stale (still the open lease)
            }
            RunRecord before = run.copy();
            CompleteResult r = run.complete(g.phase(), g.epoch(), Outcome.SUCCEEDED, 999, "", now);
            assertThat(r.accepted()).as("a stale report is refused").isFalse();
            assertThat(run.phases()).isEqualTo(before.phases());
            assertThat(run.lastSequence()).isEqualTo(before.lastSequence());
            assertThat(run.tokensUsed()).isEqualTo(before.tokensUsed());
        }

        void expire(long at) {
            now = Math.max(now, at);
            for (LeaseRef ref : run.expireLeases(now)) {
                PhaseView phase = run.phase(ref.phase());
                assertThat(phase.state()).isEqualTo(phase.requeues() >= RunRecord.MAX_REQUEUES
                        ? PhaseState.FAILED : PhaseState.READY);
            }
        }

        void unfunded() {
            List<LeaseGrant> fresh = run.lease("w9", 1 + rnd.nextInt(3), now, TTL);
            if (fresh.isEmpty()) {
                return;
            }
            for (LeaseGrant g : fresh) {
                assertDependenciesSucceeded(run, g.phase());
                assertThat(g.epoch()).isGreaterThan(lastEpoch[g.phase()]);
                lastEpoch[g.phase()] = g.epoch();
                old.add(g);
            }
            int[] phases = fresh.stream().mapToInt(LeaseGrant::phase).toArray();
            run.returnUnfunded(phases, run.runningCount() == fresh.size(), now);
            for (LeaseGrant g : fresh) {
                assertThat(run.phaseState(g.phase())).isEqualTo(PhaseState.READY);
            }
        }

        void cancelAndRetry() {
            run.cancel(now);
            assertThat(run.state()).isIn(RunState.CANCELLED, RunState.SUCCEEDED, RunState.FAILED);
            old.addAll(open.values());
            open.clear();
            RetryResult r = run.retry(now);
            assertThat(r.accepted()).isTrue();
        }

        void checkInvariants() {
            int inFlight = run.count(PhaseState.LEASED) + run.count(PhaseState.RUNNING);
            assertThat(run.runningCount()).isEqualTo(inFlight);
            assertThat(inFlight).isLessThanOrEqualTo(bp.settings().maxParallel());
            int total = 0;
            long tokens = 0;
            long reserved = 0;
            for (PhaseState s : PhaseState.values()) {
                total += run.count(s);
            }
            assertThat(total).isEqualTo(bp.size());
            for (int i = 0; i < bp.size(); i++) {
                PhaseView p = run.phase(i);
                tokens += p.tokens();
                if (p.state().isInFlight()) {
                    reserved += p.estimatedTokens();
                    assertThat(run.leaseOpen(i)).isTrue();
                    assertDependenciesSucceeded(run, i);
                }
                if (p.state() == PhaseState.SUCCEEDED) {
                    assertDependenciesSucceeded(run, i);
                }
                assertThat(successes[i]).as("phase %s succeeded more than once", p.key()).isLessThanOrEqualTo(1);
                assertThat(p.epoch()).isEqualTo(lastEpoch[i]);
            }
            assertThat(run.tokensUsed()).isEqualTo(tokens);
            assertThat(run.tokensReserved()).isEqualTo(reserved);
            assertThat(run.maxParallelism()).isLessThanOrEqualTo(bp.settings().maxParallel());
        }

        void drainToSuccess() {
            for (int round = 0; round < 10_000 && run.state() != RunState.SUCCEEDED; round++) {
                now += 1_000;
                if (run.state().isFinished()) {
                    assertThat(run.retry(now).accepted()).isTrue();
                }
                run.resume(now);
                for (LeaseGrant g : new ArrayList<>(open.values())) {
                    if (run.leaseOpen(g.phase()) && run.epoch(g.phase()) == g.epoch()) {
                        CompleteResult r = run.complete(g.phase(), g.epoch(), Outcome.SUCCEEDED, 1, "", now);
                        assertThat(r.accepted()).isTrue();
                        if (r.phaseState() == PhaseState.SUCCEEDED) {
                            successes[g.phase()]++;
                        }
                    }
                    open.remove(g.phase());
                    old.add(g);
                }
                checkInvariants();
                lease(8);
                checkInvariants();
            }
        }
    }
}
