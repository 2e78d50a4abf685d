package io.phasegrid.coordinator.run;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One run's mutable state over its immutable {@link RunBlueprint}, and its transitions. The state and its read side
 * are {@link RunRecordState}: the per-phase columns ({@link PhaseTable}), the counts per state and wave
 * ({@link PhaseCounts}), the dispatch heaps ({@link DispatchQueues}), the token and ledger bookkeeping
 * ({@link RunFunding}) and a bounded {@link EventLog}. Meant to live as one Hazelcast map value (in-memory format
 * OBJECT; its binary form is {@link RunRecordCodec}) and to be changed only by entry processors, so every transition
 * is deterministic: it takes {@code now} from the caller, never reads a clock, uses no randomness, no recursion, and
 * loops only over bounded structures. The transitions are grouped by role in {@link LeaseTransitions},
 * {@link ReportTransitions} and {@link ControlTransitions}; every phase state change goes through {@link #change},
 * which checks it against the table of {@link PhaseTransitions}.
 *
 * <p>Not thread-safe: Hazelcast runs one processor at a time per key.
 *
 * <p>See {@code docs/scheduling.md} for the transition table and the decisions.
 */
public final class RunRecord extends RunRecordState {

    /** Lost leases (expired) of one phase after which it fails instead of being leased again. */
    public static final int MAX_REQUEUES = 10;

    /** Events kept for watchers. */
    public static final int DEFAULT_EVENT_CAPACITY = 1024;
    public static final String REASON_TOKEN_BUDGET = "token_budget";
    public static final String REASON_LEASE_EXPIRED = "lease_expired";
    public static final String REASON_ABANDONED = "abandoned";
    public static final String REASON_CANCELLED = "cancelled";
    public static final String REASON_BLOCKED_BY = "blocked_by ";
    public static final String REASON_EXECUTION_ERROR = "execution_error: ";
    public static final String REASON_CONFLICT = "conflict: ";

    /** For {@link RunRecordCodec#read} only; every other use starts from {@link #create}. */
    RunRecord() {
    }

    private RunRecord(String runId, String name, RunBlueprint blueprint, long now, int eventCapacity) {
        this.runId = Objects.requireNonNull(runId, "runId");
        this.name = name == null ? "" : name;
        this.blueprint = Objects.requireNonNull(blueprint, "blueprint");
        events = new EventLog(eventCapacity);
        runState = RunState.QUEUED;
        pauseReason = "";
        createdAtMs = now;
        clock = now;
        phases = PhaseTable.create(blueprint.size());
        counts = new PhaseCounts(blueprint.waveCount());
        queues = new DispatchQueues(phases);
        funding = new RunFunding(phases);
        ControlTransitions.begin(this, now);
    }

    private RunRecord(RunRecord o) {
        runId = o.runId;
        name = o.name;
        blueprint = o.blueprint;
        runState = o.runState;
        pauseReason = o.pauseReason;
        createdAtMs = o.createdAtMs;
        startedAtMs = o.startedAtMs;
        started = o.started;
        finishedAtMs = o.finishedAtMs;
        clock = o.clock;
        version = o.version + 1;
        fallbacks = o.fallbacks;
        sequentialFallback = o.sequentialFallback;
        phases = o.phases.copy();
        counts = o.counts.copy();
        queues = o.queues.copy(phases);
        funding = new RunFunding(o.funding, phases);
        events = o.events.copy();
    }

    /** A new run in QUEUED (SUCCEEDED at once when every phase is skipped). */
    public static RunRecord create(String runId, String name, RunBlueprint blueprint, long now) {
        return new RunRecord(runId, name, blueprint, now, DEFAULT_EVENT_CAPACITY);
    }

    /** As {@link #create(String, String, RunBlueprint, long)} with a chosen event log size. */
    public static RunRecord create(String runId, String name, RunBlueprint blueprint, long now, int eventCapacity) {
        return new RunRecord(runId, name, blueprint, now, eventCapacity);
    }

    /**
     * A copy of the mutable state; the immutable blueprint is shared, and so are the per-phase chunks until either
     * side writes one ({@link Column}). O(phases / 256 + queued and open leases).
     */
    public RunRecord copy() {
        return new RunRecord(this);
    }

    // ------------------------------------------------------------------------------------------------ transitions

    /** {@link #lease(String, int, long, long, boolean)} with reservations confirmed at once. */
    public List<LeaseGrant> lease(String workerId, int maxPhases, long now, long ttlMs) {
        return lease(workerId, maxPhases, now, ttlMs, false);
    }

    /** See {@link LeaseTransitions#lease}: up to {@code maxPhases} READY phases, best rank first. */
    public List<LeaseGrant> lease(String workerId, int maxPhases, long now, long ttlMs, boolean awaitFunding) {
        return LeaseTransitions.lease(this, workerId, maxPhases, now, ttlMs, awaitFunding);
    }

    /** False when {@link #lease} would certainly grant nothing now; true does not promise a grant. O(1). */
    public boolean mayLease(long now) {
        return LeaseTransitions.mayLease(this, now);
    }

    /** See {@link LeaseTransitions#returnUnfunded}: refused leases back to READY, then PAUSED or the fallback. */
    public UnfundedResult returnUnfunded(int[] phases, boolean nothingElseRunning, long now) {
        return LeaseTransitions.returnUnfunded(this, phases, nothingElseRunning, now);
    }

    /** See {@link LeaseTransitions#confirmFunding}: the ledger funded these leases; returns how many were confirmed. */
    public int confirmFunding(int[] phases, long[] epochs) {
        return LeaseTransitions.confirmFunding(this, phases, epochs);
    }

    /** The git side of a lease of {@code phase}; null for a plain run. See {@link GitLease#of}. */
    public GitLease gitLease(int phase) {
        return GitLease.of(this, phase);
    }

    /** Whether the latest lease of {@code phase} was given to {@code worker}; null asks no question. */
    public boolean heldBy(int phase, String worker) {
        return worker == null || (phases.contains(phase) && worker.equals(phases.worker.get(phase)));
    }

    /** See {@link LeaseTransitions#heartbeat}: renews the lease; the first heartbeat makes the phase RUNNING. */
    public HeartbeatResult heartbeat(int phase, long leaseEpoch, long now, long ttlMs) {
        return LeaseTransitions.heartbeat(this, phase, leaseEpoch, now, ttlMs);
    }

    /** {@link #heartbeat(int, long, long, long)} by phase key. */
    public HeartbeatResult heartbeat(String key, long leaseEpoch, long now, long ttlMs) {
        return heartbeat(blueprint.indexOf(key), leaseEpoch, now, ttlMs);
    }

    /** A checkpoint was saved: the same as a heartbeat (renews the lease, LEASED becomes RUNNING). */
    public HeartbeatResult markRunning(int phase, long leaseEpoch, long now, long ttlMs) {
        return heartbeat(phase, leaseEpoch, now, ttlMs);
    }

    /** See {@link ReportTransitions#complete}: the outcome of the attempt holding {@code leaseEpoch}. */
    public CompleteResult complete(int phase, long leaseEpoch, Outcome outcome, long tokensUsed, String error,
            long now) {
        return complete(phase, leaseEpoch, outcome, tokensUsed, error, GitReport.NONE, now);
    }

    /** As {@link #complete(int, long, Outcome, long, String, long)} with the git part of the report. */
    public CompleteResult complete(int phase, long leaseEpoch, Outcome outcome, long tokensUsed, String error,
            GitReport git, long now) {
        return ReportTransitions.complete(this, phase, leaseEpoch, outcome, tokensUsed, error, git, now);
    }

    /** {@link #complete(int, long, Outcome, long, String, long)} by phase key. */
    public CompleteResult complete(String key, long leaseEpoch, Outcome outcome, long tokensUsed, String error,
            long now) {
        return complete(key, leaseEpoch, outcome, tokensUsed, error, GitReport.NONE, now);
    }

    /** {@link #complete(int, long, Outcome, long, String, GitReport, long)} by phase key. */
    public CompleteResult complete(String key, long leaseEpoch, Outcome outcome, long tokensUsed, String error,
            GitReport git, long now) {
        int i = blueprint.indexOf(key);
        if (i < 0) {
            return CompleteResult.refused(CompleteResult.Refusal.UNKNOWN_PHASE, null, "no phase '" + key + "'");
        }
        return complete(i, leaseEpoch, outcome, tokensUsed, error, git, now);
    }

    /** See {@link ReportTransitions#expireLeases}: takes back every lease due at {@code now}; returns them. */
    public List<LeaseRef> expireLeases(long now) {
        return ReportTransitions.expireLeases(this, now);
    }

    /** See {@link ControlTransitions#cancel}: every phase not final becomes CANCELLED. O(n). */
    public CancelResult cancel(long now) {
        return ControlTransitions.cancel(this, now);
    }

    /** See {@link ControlTransitions#retry}: re-runs a finished run's FAILED, BLOCKED and CANCELLED phases. */
    public RetryResult retry(long now) {
        return retry(Map.of(), now);
    }

    /** As {@link #retry(long)}; each resolved phase (key -> commit) starts its next attempt at that commit. */
    public RetryResult retry(Map<String, String> resolutions, long now) {
        return ControlTransitions.retry(this, resolutions, now);
    }

    /** See {@link ControlTransitions#resume}: clears PAUSED and the sequential fallback; whether anything changed. */
    public boolean resume(long now) {
        return ControlTransitions.resume(this, now);
    }

    /** Sets the run's own budget (0 = none); {@code SetRunBudget} decides whether the run resumes. */
    public void setBudget(long budgetTokens) {
        blueprint = blueprint.withBudget(budgetTokens);
    }

    // ------------------------------------------------------------------------------------------------ internals

    /** {@code max(now, the latest time seen)}, remembered: see {@link #clock}. */
    long advance(long now) {
        clock = Math.max(clock, now);
        return clock;
    }

    /** The one place a phase changes state: checked against {@link PhaseTransitions}, counted, logged. */
    void change(int i, PhaseState next, long now) {
        PhaseState before = phases.stateOf(i);
        if (before == next) {
            return;
        }
        PhaseTransitions.check(blueprint.key(i), before, next);
        counts.moved(before, next, blueprint.wave(i));
        phases.state.set(i, (byte) next.ordinal());
        if (next == PhaseState.READY) {
            phases.readyAt.set(i, Math.max(now, phases.notBefore.get(i)));
        }
        events.append(new RunEvent.PhaseChanged(events.nextSequence(), now, blueprint.key(i), next,
                phases.attempts.get(i), phases.worker.get(i), phases.reason.get(i), phases.tokens.get(i)));
    }

    void enqueueReady(int i) {
        queues.enqueueReady(i, blueprint.rank(i));
    }

    void releaseReservation(int i) {
        funding.release(i, blueprint.estimatedTokens(i));
    }

    void closeLease(int i) {
        releaseReservation(i);
        phases.clear(i, PhaseTable.LEASE_OPEN);
    }

    void finishIfDone(long now) {
        if (runState.isFinished() || counts.anyActive()) {
            return;
        }
        runState = counts.of(PhaseState.SUCCEEDED) + counts.of(PhaseState.SKIPPED) == phases.size
                ? RunState.SUCCEEDED : RunState.FAILED;
        pauseReason = "";
        finishedAtMs = now;
        appendRunEvent(now);
    }

    void appendRunEvent(long now) {
        events.append(new RunEvent.RunChanged(events.nextSequence(), now, runState, pauseReason));
    }
}
