package io.phasegrid.coordinator.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The control side of a {@link RunRecord}: its first states, cancel, retry and resume after a pause. */
final class ControlTransitions {

    private ControlTransitions() {
    }

    /**
     * The first state of every phase of a new run: SKIPPED for a phase complete in the roadmap, READY when no
     * dependency is left to run, else PENDING with the count of its dependencies not skipped. O(n + edges).
     */
    static void begin(RunRecord r, long now) {
        RunBlueprint b = r.blueprint;
        PhaseTable p = r.phases;
        for (int i = 0; i < p.size; i++) {
            PhaseState s = PhaseState.SKIPPED;
            if (!b.skipped(i)) {
                int waiting = 0;
                for (int k = 0, m = b.dependencyCount(i); k < m; k++) {
                    if (!b.skipped(b.dependency(i, k))) {
                        waiting++;
                    }
                }
                p.remainingDeps.set(i, waiting);
                s = waiting == 0 ? PhaseState.READY : PhaseState.PENDING;
            }
            p.state.set(i, (byte) s.ordinal());
            r.counts.start(s, b.wave(i));
            if (s == PhaseState.READY) {
                p.readyAt.set(i, now);
                r.enqueueReady(i);
            }
        }
        r.counts.advanceWave();
        r.appendRunEvent(now);
        r.finishIfDone(now);
    }

    /**
     * Cancels the run: every phase not final becomes CANCELLED, LEASED and RUNNING ones too (their workers learn it
     * through the next heartbeat, which answers CANCELLED). The open leases' reservations are released now; each may
     * still send one report, accepted only to charge its tokens (the phase stays CANCELLED); any other report is
     * refused. Cancelling a finished run changes nothing. O(n).
     */
    static CancelResult cancel(RunRecord r, long now) {
        now = r.advance(now);
        if (r.runState.isFinished()) {
            return new CancelResult(false, 0, List.of());
        }
        PhaseTable p = r.phases;
        List<LeaseRef> revoked = new ArrayList<>();
        int cancelled = 0;
        for (int i = 0; i < p.size; i++) {
            if (p.stateOf(i).isFinal()) {
                continue;
            }
            if (p.has(i, PhaseTable.LEASE_OPEN)) {
                revoked.add(new LeaseRef(i, r.blueprint.key(i), p.epoch.get(i), r.blueprint.estimatedTokens(i)));
                r.releaseReservation(i);
            }
            p.reason.set(i, RunRecord.REASON_CANCELLED);
            p.finishedAt.set(i, now);
            r.change(i, PhaseState.CANCELLED, now);
            cancelled++;
        }
        r.runState = RunState.CANCELLED;
        r.pauseReason = "";
        r.finishedAtMs = now;
        r.appendRunEvent(now);
        return new CancelResult(true, cancelled, revoked);
    }

    /**
     * Re-runs a finished run's FAILED, BLOCKED and CANCELLED phases; SUCCEEDED and SKIPPED phases are kept. A reset
     * phase keeps its attempts, requeues and tokens (history; attempt numbers go on counting) but its failure count
     * starts again at 0, so it gets the retry policy's full attempts. Its counter of waiting dependencies is
     * recomputed from its dependencies that are not SUCCEEDED or SKIPPED. Leases still open from a cancel are closed
     * (their late reports are refused). The run returns to RUNNING (QUEUED when nothing was ever leased), the pause
     * and the sequential fallback cleared, and its tokens go to a new ledger share. Refused while the run is active.
     * O(n + edges).
     */
    static RetryResult retry(RunRecord r, Map<String, String> resolutions, long now) {
        now = r.advance(now);
        if (!resolutions.isEmpty() && r.blueprint.git() == null) {
            return RetryResult.invalid("resolutions: run " + r.runId + " is not a git run");
        }
        if (!r.runState.isFinished()) {
            return new RetryResult(false, 0, "run " + r.runId + " is " + r.runState
                    + "; only a finished run is retried");
        }
        String invalid = unfit(r, resolutions);
        if (invalid != null) {
            return RetryResult.invalid(invalid);
        }
        if (r.runState == RunState.SUCCEEDED) {
            return new RetryResult(true, 0, "");
        }
        r.runState = r.started ? RunState.RUNNING : RunState.QUEUED;
        r.pauseReason = "";
        r.finishedAtMs = 0;
        r.sequentialFallback = false;
        r.funding.newIncarnation();
        r.appendRunEvent(now);
        RunBlueprint b = r.blueprint;
        PhaseTable p = r.phases;
        int reset = 0;
        for (int i = 0; i < p.size; i++) {
            PhaseState s = p.stateOf(i);
            if (s != PhaseState.FAILED && s != PhaseState.BLOCKED && s != PhaseState.CANCELLED) {
                continue;
            }
            r.closeLease(i);
            p.failures.set(i, 0);
            p.notBefore.set(i, 0);
            p.finishedAt.set(i, 0);
            p.reason.set(i, "");
            p.conflictPaths.set(i, "");
            p.resolutionCommit.set(i, resolutions.getOrDefault(b.key(i), ""));
            int waiting = 0;
            for (int k = 0, m = b.dependencyCount(i); k < m; k++) {
                if (!p.stateOf(b.dependency(i, k)).satisfiesDependents()) {
                    waiting++;
                }
            }
            p.remainingDeps.set(i, waiting);
            r.change(i, waiting == 0 ? PhaseState.READY : PhaseState.PENDING, now);
            if (waiting == 0) {
                r.enqueueReady(i);
            }
            reset++;
        }
        return new RetryResult(true, reset, "");
    }

    /** Why the resolutions do not fit the finished git run, or null: each must name a FAILED phase. */
    private static String unfit(RunRecord r, Map<String, String> resolutions) {
        for (String key : resolutions.keySet()) {
            int i = r.blueprint.indexOf(key);
            if (i < 0 || r.phases.stateOf(i) != PhaseState.FAILED) {
                return "resolutions[" + key + "]: " + (i < 0 ? "no phase with that key in run " + r.runId
                        : "phase " + key + " is " + r.phases.stateOf(i) + ", not FAILED");
            }
        }
        return null;
    }

    /**
     * After a budget top-up: clears PAUSED (back to RUNNING, or QUEUED when nothing was ever leased) and the
     * sequential fallback. Returns whether anything changed.
     */
    static boolean resume(RunRecord r, long now) {
        now = r.advance(now);
        boolean changed = false;
        if (r.sequentialFallback) {
            r.sequentialFallback = false;
            changed = true;
        }
        if (r.runState == RunState.PAUSED) {
            r.runState = r.started ? RunState.RUNNING : RunState.QUEUED;
            r.pauseReason = "";
            r.appendRunEvent(now);
            changed = true;
        }
        return changed;
    }
}
