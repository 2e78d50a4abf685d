package io.phasegrid.coordinator.run;

import io.phasegrid.common.settings.Schedule;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The lease side of a {@link RunRecord}: granting leases, the ledger's answer to them, heartbeats. */
final class LeaseTransitions {

    private LeaseTransitions() {
    }

    /**
     * Leases up to {@code maxPhases} READY phases to {@code workerId}, highest priority first (see
     * {@link RunBlueprint#rank(int)}), skipping phases whose backoff has not passed, within the run's max parallel,
     * one at a time while the sequential fallback is on, and under WAVES only from the lowest unfinished wave. No
     * leases while the run is PAUSED or finished. The first lease moves the run from QUEUED to RUNNING. Each grant
     * increments the phase's epoch and attempt count. Cost: O(k log n) for k grants plus lazily dropped entries.
     *
     * <p>With {@code awaitFunding} the grants' reservations stay unconfirmed until {@link #confirmFunding} says which
     * the cluster ledger funded (its share of this run leaves them out until then, and lists this call's
     * {@link RunRecord#version()} as unconfirmed).
     */
    static List<LeaseGrant> lease(RunRecord r, String workerId, int maxPhases, long now, long ttlMs,
            boolean awaitFunding) {
        now = r.advance(now);
        Objects.requireNonNull(workerId, "workerId");
        if (ttlMs < 1) {
            throw new IllegalArgumentException("ttlMs must be >= 1");
        }
        if (maxPhases <= 0 || r.runState.isFinished() || r.runState == RunState.PAUSED) {
            return List.of();
        }
        r.queues.promoteDelayed(now, r.blueprint);
        int limit = Math.min(maxPhases, freeSlots(r));
        if (limit <= 0) {
            return List.of();
        }
        int waveLimit = r.blueprint.settings().schedule() == Schedule.WAVES ? r.counts.currentWave : Integer.MAX_VALUE;
        List<LeaseGrant> grants = new ArrayList<>(Math.min(limit, 64));
        while (grants.size() < limit) {
            int i = r.queues.takeLeasable(now, r.blueprint, waveLimit);
            if (i < 0) {
                break;
            }
            if (r.runState == RunState.QUEUED) {
                r.runState = RunState.RUNNING;
                r.startedAtMs = now;
                r.started = true;
                r.appendRunEvent(now);
            }
            grants.add(grant(r, i, workerId, now, ttlMs, awaitFunding));
        }
        return grants;
    }

    /**
     * False when {@link #lease} would certainly grant nothing now: finished, PAUSED, at max parallel (or at one while
     * the sequential fallback is on), or nothing READY and no backoff due. True does not promise a grant. O(1).
     */
    static boolean mayLease(RunRecord r, long now) {
        if (r.runState.isFinished() || r.runState == RunState.PAUSED) {
            return false;
        }
        return freeSlots(r) > 0 && r.queues.mayHaveLeasable(now);
    }

    private static int freeSlots(RunRecord r) {
        int limit = r.blueprint.settings().maxParallel() - r.counts.running;
        return r.sequentialFallback ? Math.min(limit, 1 - r.counts.running) : limit;
    }

    private static LeaseGrant grant(RunRecord r, int i, String workerId, long now, long ttlMs, boolean awaitFunding) {
        PhaseTable p = r.phases;
        long e = p.epoch.add(i, 1);
        p.attempts.add(i, 1);
        p.worker.set(i, workerId);
        p.deadline.set(i, now + ttlMs);
        p.startedAt.set(i, now);
        p.raise(i, PhaseTable.LEASE_OPEN);
        long estimate = r.blueprint.estimatedTokens(i);
        r.funding.reserve(i, estimate, awaitFunding, r.version);
        r.queues.trackDeadline(i, r.counts.running);
        r.change(i, PhaseState.LEASED, now);
        return new LeaseGrant(i, r.blueprint.key(i), e, p.attempts.get(i), p.deadline.get(i), estimate,
                p.readyAt.get(i));
    }

    /**
     * The ledger refused to fund phases just leased: they go back to READY as if never leased. The attempt count is
     * given back; the epoch is not (epochs never go back, so the unused one is simply dead and any report carrying
     * it is refused). The worker and started time of the refused lease stay in the record until the next lease.
     *
     * <p>Then, when {@code nothingElseRunning} (the first candidate was refused while nothing of the run runs), the
     * run is PAUSED with reason {@code token_budget} until {@link RunRecord#resume(long)}; otherwise it falls back to
     * one phase at a time, counted once per switch (not per refusal). Phases that are not LEASED with an open lease
     * are ignored.
     */
    static UnfundedResult returnUnfunded(RunRecord r, int[] phases, boolean nothingElseRunning, long now) {
        now = r.advance(now);
        PhaseTable p = r.phases;
        int returned = 0;
        for (int i : phases) {
            if (!p.contains(i) || p.stateOf(i) != PhaseState.LEASED || !p.has(i, PhaseTable.LEASE_OPEN)) {
                continue;
            }
            r.closeLease(i);
            p.attempts.add(i, -1);
            r.change(i, PhaseState.READY, now);
            r.enqueueReady(i);
            returned++;
        }
        boolean fellBack = false;
        boolean pausedNow = false;
        if (!r.runState.isFinished()) {
            if (nothingElseRunning) {
                if (r.runState != RunState.PAUSED) {
                    r.runState = RunState.PAUSED;
                    pausedNow = true;
                    r.pauseReason = RunRecord.REASON_TOKEN_BUDGET;
                    r.appendRunEvent(now);
                }
            } else if (!r.sequentialFallback) {
                r.sequentialFallback = true;
                r.fallbacks++;
                fellBack = true;
            }
        }
        return new UnfundedResult(returned, fellBack, r.runState == RunState.PAUSED, pausedNow);
    }

    /**
     * The cluster ledger funded these leases (phase index and epoch; a lease whose epoch moved on or that closed is
     * left alone): their reservations count in the run's ledger share from now on. Returns how many were confirmed.
     */
    static int confirmFunding(RunRecord r, int[] phases, long[] epochs) {
        PhaseTable p = r.phases;
        int confirmed = 0;
        for (int k = 0; k < phases.length; k++) {
            int i = phases[k];
            if (p.contains(i) && p.epoch.get(i) == epochs[k] && p.has(i, PhaseTable.UNCONFIRMED)
                    && p.has(i, PhaseTable.LEASE_OPEN)) {
                r.funding.confirm(i, r.blueprint.estimatedTokens(i));
                confirmed++;
            }
        }
        return confirmed;
    }

    /**
     * Renews the lease: the deadline becomes {@code max(deadline, now + ttlMs)} (a heartbeat never shortens a lease).
     * The first heartbeat moves the phase from LEASED to RUNNING. A lease is held until
     * {@link RunRecord#expireLeases(long)} takes it back, even a little past its deadline. O(1).
     */
    static HeartbeatResult heartbeat(RunRecord r, int phase, long leaseEpoch, long now, long ttlMs) {
        now = r.advance(now);
        PhaseTable p = r.phases;
        if (!p.contains(phase) || leaseEpoch != p.epoch.get(phase) || !p.has(phase, PhaseTable.LEASE_OPEN)) {
            return HeartbeatResult.NOT_HELD;
        }
        PhaseState s = p.stateOf(phase);
        if (s != PhaseState.LEASED && s != PhaseState.RUNNING) {
            return HeartbeatResult.CANCELLED; // open lease on a phase cancelled with its run
        }
        if (now + ttlMs > p.deadline.get(phase)) {
            p.deadline.set(phase, now + ttlMs); // an unchanged deadline leaves its chunk shared
        }
        if (s == PhaseState.LEASED) {
            r.change(phase, PhaseState.RUNNING, now);
        }
        return new HeartbeatResult(HeartbeatResult.Status.HELD, p.deadline.get(phase));
    }
}
