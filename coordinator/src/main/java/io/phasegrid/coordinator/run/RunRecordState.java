package io.phasegrid.coordinator.run;

import java.util.List;

/**
 * The state of a {@link RunRecord} and its read side: every accessor a reader of the run needs (state, counts,
 * tokens, the ledger's view, events, phases). {@link RunRecord} adds the transitions; the state's parts are
 * {@link PhaseTable}, {@link PhaseCounts}, {@link DispatchQueues}, {@link RunFunding} and {@link EventLog}.
 *
 * <p>Not thread-safe, like the record.
 */
public abstract sealed class RunRecordState permits RunRecord {

    String runId;
    String name;
    RunBlueprint blueprint;

    RunState runState;
    String pauseReason;
    long createdAtMs;
    long startedAtMs;
    boolean started;
    long finishedAtMs;
    /**
     * The latest time a transition was given. Callers read their clock before their processor call is queued, so
     * calls can arrive out of time order; every transition uses {@code max(now, clock)}, so the record's times
     * never go backwards (a phase is not shown leased before the one whose slot it took had finished).
     */
    long clock;
    /** Bumped by every copy, so each stored change of the run has a higher version than the last. */
    long version;
    int fallbacks;
    boolean sequentialFallback;

    PhaseTable phases;
    PhaseCounts counts;
    DispatchQueues queues;
    RunFunding funding;
    EventLog events;

    RunRecordState() {
    }

    public String runId() {
        return runId;
    }

    public String name() {
        return name;
    }

    public RunBlueprint blueprint() {
        return blueprint;
    }

    public RunState state() {
        return runState;
    }

    /** "token_budget" while PAUSED, else empty. */
    public String pauseReason() {
        return pauseReason;
    }

    public long createdAtMs() {
        return createdAtMs;
    }

    /** First lease; 0 before. */
    public long startedAtMs() {
        return startedAtMs;
    }

    /** End of the run; 0 while active. */
    public long finishedAtMs() {
        return finishedAtMs;
    }

    public int phaseCount() {
        return phases.size;
    }

    public PhaseState phaseState(int phase) {
        return phases.stateOf(phase);
    }

    /** Phases in this state now. O(1). */
    public int count(PhaseState s) {
        return counts.of(s);
    }

    /** Entries in the lease-deadline heap, closed leases included (a test hook). */
    int deadlineEntries() {
        return queues.deadlines.size();
    }

    /** LEASED + RUNNING phases now. */
    public int runningCount() {
        return counts.running;
    }

    /** Most phases LEASED or RUNNING at once so far. */
    public int maxParallelism() {
        return counts.maxParallelism;
    }

    /** Times the run switched to one phase at a time because the budget could not carry the parallel group. */
    public int fallbacks() {
        return fallbacks;
    }

    public boolean sequentialFallback() {
        return sequentialFallback;
    }

    /** Sum of the estimates of the phases whose lease holds a reservation. */
    public long tokensReserved() {
        return funding.tokensReserved;
    }

    /** Tokens charged so far: the sum of the phases' tokens. */
    public long tokensUsed() {
        return funding.tokensUsed;
    }

    /** Strictly increases with every stored change of the run (a copy is one version ahead of its source). */
    public long version() {
        return version;
    }

    /** The cluster ledger's share of this run: its id and one more for every retry. */
    public String ledgerShareKey() {
        return runId + "#" + funding.incarnation;
    }

    /** Tokens reserved by open leases the ledger's funding of which the run knows. */
    public long confirmedReserved() {
        return funding.confirmedReserved();
    }

    /** Open leases holding a confirmed reservation. */
    public int confirmedLeases() {
        return funding.confirmedLeases();
    }

    /** Tokens charged since this incarnation began (a retry starts again at 0). */
    public long incarnationUsed() {
        return funding.incarnationUsed();
    }

    /** Versions of the {@link RunRecord#lease} calls some of whose leases are still unconfirmed, ascending. */
    public long[] unconfirmedCalls() {
        return funding.unconfirmedCallVersions();
    }

    /** Sequence of the newest event (0 before any). */
    public long lastSequence() {
        return events.lastSequence();
    }

    /** Events with a sequence greater than {@code sequence}, oldest first (at most the log's capacity). */
    public EventPage eventsSince(long sequence) {
        return events.since(sequence);
    }

    /** The lowest wave with a phase not final ({@link RunBlueprint#waveCount()} when none). */
    public int currentWave() {
        return counts.currentWave;
    }

    /**
     * A lower bound of the next lease deadline ({@code Long.MAX_VALUE} when no lease is open): calling
     * {@link RunRecord#expireLeases(long)} earlier does nothing. It may be earlier than the true next expiry when heartbeats
     * renewed the lease at the head; the call then re-arms it. O(1).
     */
    public long nextDeadline() {
        return queues.nextDeadline();
    }

    /** A lower bound of the time a phase waiting on a retry backoff becomes leasable; {@code Long.MAX_VALUE} if none. */
    public long nextNotBefore() {
        return queues.nextNotBefore();
    }

    /** When the phase's latest lease was granted (its attempt's start; 0 before the first). */
    public long phaseStartedAt(int phase) {
        return phases.startedAt.get(phase);
    }

    /**
     * The earliest time a phase now READY became READY ({@code Long.MAX_VALUE} when none is): the age of the oldest
     * entry of the ready queue. O(n): for metrics, not the hot path.
     */
    public long oldestReadyAt() {
        return phases.oldestReadyAt(counts.of(PhaseState.READY) > 0);
    }

    /** Epoch of the phase's latest lease (0 before the first). */
    public long epoch(int phase) {
        return phases.epoch.get(phase);
    }

    /** True while the latest lease of the phase is open (not expired, not reported). */
    public boolean leaseOpen(int phase) {
        return phases.has(phase, PhaseTable.LEASE_OPEN);
    }

    public PhaseView phase(int i) {
        return phases.view(i, blueprint);
    }

    /** The phase with this key; throws {@link IllegalArgumentException} for an unknown key. */
    public PhaseView phase(String key) {
        int i = blueprint.indexOf(key);
        if (i < 0) {
            throw new IllegalArgumentException("no phase '" + key + "'");
        }
        return phase(i);
    }

    /** Every phase in roadmap order. O(n). */
    public List<PhaseView> phases() {
        return phases.views(blueprint);
    }
}
