package io.phasegrid.coordinator.run;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.phasegrid.common.settings.Schedule;
import io.phasegrid.coordinator.hazelcast.SerializationIds;
import io.phasegrid.coordinator.ledger.Tokens;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The mutable state of one run: per-phase state in primitive arrays over an immutable {@link RunBlueprint}, the
 * run's counters and a bounded event log. Meant to live as one Hazelcast map value (in-memory format OBJECT) and to
 * be changed only by entry processors, so every transition is deterministic: it takes {@code now} from the caller,
 * never reads a clock, uses no randomness, no recursion, and loops only over bounded structures. {@link #copy()} is
 * a deep copy of the mutable parts (the blueprint is shared).
 *
 * <p>Not thread-safe: Hazelcast runs one processor at a time per key.
 *
 * <p>See {@code docs/scheduling.md} for the transition table and the decisions.
 */
public final class RunRecord implements IdentifiedDataSerializable {

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

    private static final byte IN_READY = 1;
    private static final byte LEASE_OPEN = 2;
    private static final byte RESERVED = 4;
    /** A reservation the cluster ledger funded (or not) but the run has not been told: see {@link #confirmFunding}. */
    private static final byte UNCONFIRMED = 8;

    private static final int PENDING = PhaseState.PENDING.ordinal();
    private static final int READY = PhaseState.READY.ordinal();
    private static final int LEASED = PhaseState.LEASED.ordinal();
    private static final int RUNNING = PhaseState.RUNNING.ordinal();
    private static final int SUCCEEDED = PhaseState.SUCCEEDED.ordinal();
    private static final int SKIPPED = PhaseState.SKIPPED.ordinal();

    private String runId;
    private String name;
    private RunBlueprint blueprint;

    private RunState runState;
    private String pauseReason;
    private long createdAtMs;
    private long startedAtMs;
    private boolean started;
    private long finishedAtMs;
    /**
     * The latest time a transition was given. Callers read their clock before their processor call is queued, so
     * calls can arrive out of time order; every transition uses {@code max(now, clock)}, so the record's times
     * never go backwards (a phase is not shown leased before the one whose slot it took had finished).
     */
    private long clock;

    // per phase
    private Column.Bytes state;
    private Column.Ints remainingDeps;
    private Column.Ints attempts;
    private Column.Ints failures;
    private Column.Ints requeues;
    private Column.Longs epoch;
    private Column.Strings worker;
    private Column.Longs deadline;
    private Column.Longs notBefore;
    /** When the phase last became READY (its backoff's end for a retry): ready -> leased latency, queue age. */
    private Column.Longs readyAt;
    private Column.Longs phaseStartedAt;
    private Column.Longs phaseFinishedAt;
    private Column.Longs tokens;
    private Column.Strings reason;
    private Column.Bytes flags;

    // run counters
    private int[] stateCounts;
    private int[] waveUnfinished;
    private int currentWave;
    private int running;
    private int maxParallelism;
    private int fallbacks;
    private boolean sequentialFallback;
    private long tokensReserved;
    private long tokensUsed;

    // dispatch structures: ready by rank, backoff by not-before, leases by deadline (lazy deletion, tag = epoch)
    private LongIntHeap ready;
    private LongIntHeap delayed;
    private LongIntHeap deadlines;

    // the cluster ledger's view of this run (its share): see ledgerShareKey()
    /** Bumped by every copy, so each stored change of the run has a higher version than the last. */
    private long version;
    /** Incremented by a retry: the retried run's tokens go to a new ledger share. */
    private int incarnation;
    /** {@link #tokensUsed} when this incarnation began. */
    private long usedBase;
    /** Open leases holding a reservation, confirmed or not. */
    private int reservedLeases;
    private long unconfirmedReserved;
    private int unconfirmedLeases;
    /** Version of the {@link #lease} call that granted the phase's current lease. */
    private Column.Longs leaseCall;
    /** Versions of the lease calls with leases still unconfirmed, and how many each. */
    private TreeMap<Long, Integer> unconfirmedCalls;

    // event log: a ring of the last events
    private RunEvent[] events;
    private long lastSequence;

    /** For deserialization only ({@link #readData}); every other use starts from {@link #create}. */
    public RunRecord() {
    }

    private RunRecord(String runId, String name, RunBlueprint blueprint, long now, int eventCapacity) {
        this.runId = Objects.requireNonNull(runId, "runId");
        this.name = name == null ? "" : name;
        this.blueprint = Objects.requireNonNull(blueprint, "blueprint");
        if (eventCapacity < 1) {
            throw new IllegalArgumentException("eventCapacity must be >= 1");
        }
        int n = blueprint.size();
        runState = RunState.QUEUED;
        pauseReason = "";
        createdAtMs = now;
        clock = now;
        state = new Column.Bytes(n);
        remainingDeps = new Column.Ints(n);
        attempts = new Column.Ints(n);
        failures = new Column.Ints(n);
        requeues = new Column.Ints(n);
        epoch = new Column.Longs(n);
        worker = new Column.Strings(n, "");
        deadline = new Column.Longs(n);
        notBefore = new Column.Longs(n);
        readyAt = new Column.Longs(n);
        phaseStartedAt = new Column.Longs(n);
        phaseFinishedAt = new Column.Longs(n);
        tokens = new Column.Longs(n);
        reason = new Column.Strings(n, "");
        flags = new Column.Bytes(n);
        leaseCall = new Column.Longs(n);
        unconfirmedCalls = new TreeMap<>();
        stateCounts = new int[PhaseState.values().length];
        waveUnfinished = new int[blueprint.waveCount()];
        ready = new LongIntHeap(Math.min(n, 1024));
        delayed = new LongIntHeap(16);
        deadlines = new LongIntHeap(16);
        events = new RunEvent[eventCapacity];

        for (int i = 0; i < n; i++) {
            int s;
            if (blueprint.skipped(i)) {
                s = SKIPPED;
            } else {
                int waiting = 0;
                for (int k = 0, m = blueprint.dependencyCount(i); k < m; k++) {
                    if (!blueprint.skipped(blueprint.dependency(i, k))) {
                        waiting++;
                    }
                }
                remainingDeps.set(i, waiting);
                s = waiting == 0 ? READY : PENDING;
                waveUnfinished[blueprint.wave(i)]++;
            }
            state.set(i, (byte) s);
            stateCounts[s]++;
            if (s == READY) {
                readyAt.set(i, now);
                enqueueReady(i);
            }
        }
        advanceWave();
        appendRunEvent(now);
        finishIfDone(now);
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
        state = new Column.Bytes(o.state);
        remainingDeps = new Column.Ints(o.remainingDeps);
        attempts = new Column.Ints(o.attempts);
        failures = new Column.Ints(o.failures);
        requeues = new Column.Ints(o.requeues);
        epoch = new Column.Longs(o.epoch);
        worker = new Column.Strings(o.worker);
        deadline = new Column.Longs(o.deadline);
        notBefore = new Column.Longs(o.notBefore);
        readyAt = new Column.Longs(o.readyAt);
        phaseStartedAt = new Column.Longs(o.phaseStartedAt);
        phaseFinishedAt = new Column.Longs(o.phaseFinishedAt);
        tokens = new Column.Longs(o.tokens);
        reason = new Column.Strings(o.reason);
        flags = new Column.Bytes(o.flags);
        version = o.version + 1;
        incarnation = o.incarnation;
        usedBase = o.usedBase;
        reservedLeases = o.reservedLeases;
        unconfirmedReserved = o.unconfirmedReserved;
        unconfirmedLeases = o.unconfirmedLeases;
        leaseCall = new Column.Longs(o.leaseCall);
        unconfirmedCalls = new TreeMap<>(o.unconfirmedCalls);
        stateCounts = o.stateCounts.clone();
        waveUnfinished = o.waveUnfinished.clone();
        currentWave = o.currentWave;
        running = o.running;
        maxParallelism = o.maxParallelism;
        fallbacks = o.fallbacks;
        sequentialFallback = o.sequentialFallback;
        tokensReserved = o.tokensReserved;
        tokensUsed = o.tokensUsed;
        ready = new LongIntHeap(o.ready);
        delayed = new LongIntHeap(o.delayed);
        deadlines = new LongIntHeap(o.deadlines);
        events = o.events.clone();
        lastSequence = o.lastSequence;
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

    /**
     * Leases up to {@code maxPhases} READY phases to {@code workerId}, highest priority first (see
     * {@link RunBlueprint#rank(int)}), skipping phases whose backoff has not passed, within the run's max parallel,
     * one at a time while the sequential fallback is on, and under WAVES only from the lowest unfinished wave. No
     * leases while the run is PAUSED or finished. The first lease moves the run from QUEUED to RUNNING. Each grant
     * increments the phase's epoch and attempt count. Cost: O(k log n) for k grants plus lazily dropped entries.
     */
    public List<LeaseGrant> lease(String workerId, int maxPhases, long now, long ttlMs) {
        return lease(workerId, maxPhases, now, ttlMs, false);
    }

    /**
     * As {@link #lease(String, int, long, long)}; with {@code awaitFunding} the grants' reservations stay
     * unconfirmed until {@link #confirmFunding} says which the cluster ledger funded (its share of this run leaves
     * them out until then, and lists this call's {@link #version()} as unconfirmed).
     */
    public List<LeaseGrant> lease(String workerId, int maxPhases, long now, long ttlMs, boolean awaitFunding) {
        now = advance(now);
        Objects.requireNonNull(workerId, "workerId");
        if (ttlMs < 1) {
            throw new IllegalArgumentException("ttlMs must be >= 1");
        }
        if (maxPhases <= 0 || runState.isFinished() || runState == RunState.PAUSED) {
            return List.of();
        }
        promoteDelayed(now);
        int limit = Math.min(maxPhases, blueprint.settings().maxParallel() - running);
        if (sequentialFallback) {
            limit = Math.min(limit, 1 - running);
        }
        if (limit <= 0) {
            return List.of();
        }
        boolean waves = blueprint.settings().schedule() == Schedule.WAVES;
        List<LeaseGrant> grants = new ArrayList<>(Math.min(limit, 64));
        while (grants.size() < limit && !ready.isEmpty()) {
            int i = ready.peekValue();
            if (state.get(i) != READY) {
                ready.remove();
                flags.set(i, (byte) (flags.get(i) & ~IN_READY));
                continue;
            }
            if (notBefore.get(i) > now) {
                ready.remove();
                flags.set(i, (byte) (flags.get(i) & ~IN_READY));
                delayed.add(notBefore.get(i), i, epoch.get(i));
                continue;
            }
            if (waves && blueprint.wave(i) > currentWave) {
                break; // wave-major ranks: everything behind is in a later wave too
            }
            ready.remove();
            flags.set(i, (byte) (flags.get(i) & ~IN_READY));
            if (runState == RunState.QUEUED) {
                runState = RunState.RUNNING;
                startedAtMs = now;
                started = true;
                appendRunEvent(now);
            }
            grants.add(grant(i, workerId, now, ttlMs, awaitFunding));
        }
        return grants;
    }

    /**
     * False when {@link #lease} would certainly grant nothing now: finished, PAUSED, at max parallel (or at one while
     * the sequential fallback is on), or nothing READY and no backoff due. True does not promise a grant. O(1).
     */
    public boolean mayLease(long now) {
        if (runState.isFinished() || runState == RunState.PAUSED) {
            return false;
        }
        int limit = blueprint.settings().maxParallel() - running;
        if (sequentialFallback) {
            limit = Math.min(limit, 1 - running);
        }
        return limit > 0 && (!ready.isEmpty() || (!delayed.isEmpty() && delayed.peekKey() <= now));
    }

    private LeaseGrant grant(int i, String workerId, long now, long ttlMs, boolean awaitFunding) {
        long e = epoch.add(i, 1);
        attempts.add(i, 1);
        worker.set(i, workerId);
        deadline.set(i, now + ttlMs);
        phaseStartedAt.set(i, now);
        flags.set(i, (byte) (flags.get(i) | (LEASE_OPEN | RESERVED)));
        tokensReserved = Tokens.add(tokensReserved, blueprint.estimatedTokens(i));
        reservedLeases++;
        if (awaitFunding) {
            flags.set(i, (byte) (flags.get(i) | UNCONFIRMED));
            unconfirmedReserved = Tokens.add(unconfirmedReserved, blueprint.estimatedTokens(i));
            unconfirmedLeases++;
            leaseCall.set(i, version);
            unconfirmedCalls.merge(version, 1, Integer::sum);
        }
        if (deadlines.size() > 2 * running + 64) {
            // entries of closed leases stay until their deadline passes; every record copy would carry them
            deadlines.retain((phase, tag) -> tag == epoch.get(phase) && (flags.get(phase) & LEASE_OPEN) != 0);
        }
        deadlines.add(deadline.get(i), i, e);
        change(i, PhaseState.LEASED, now);
        return new LeaseGrant(i, blueprint.key(i), e, attempts.get(i), deadline.get(i), blueprint.estimatedTokens(i),
                readyAt.get(i));
    }

    /**
     * The ledger refused to fund phases just leased: they go back to READY as if never leased. The attempt count is
     * given back; the epoch is not (epochs never go back, so the unused one is simply dead and any report carrying
     * it is refused). The worker and started time of the refused lease stay in the record until the next lease.
     *
     * <p>Then, when {@code nothingElseRunning} (the first candidate was refused while nothing of the run runs), the
     * run is PAUSED with reason {@code token_budget} until {@link #resume(long)}; otherwise it falls back to one phase
     * at a time, counted once per switch (not per refusal). Phases that are not LEASED with an open lease are ignored.
     */
    public UnfundedResult returnUnfunded(int[] phases, boolean nothingElseRunning, long now) {
        now = advance(now);
        int returned = 0;
        for (int i : phases) {
            if (i < 0 || i >= state.size || state.get(i) != LEASED || (flags.get(i) & LEASE_OPEN) == 0) {
                continue;
            }
            closeLease(i);
            attempts.add(i, -1);
            change(i, PhaseState.READY, now);
            enqueueReady(i);
            returned++;
        }
        boolean fellBack = false;
        boolean pausedNow = false;
        if (!runState.isFinished()) {
            if (nothingElseRunning) {
                if (runState != RunState.PAUSED) {
                    runState = RunState.PAUSED;
                    pausedNow = true;
                    pauseReason = REASON_TOKEN_BUDGET;
                    appendRunEvent(now);
                }
            } else if (!sequentialFallback) {
                sequentialFallback = true;
                fallbacks++;
                fellBack = true;
            }
        }
        return new UnfundedResult(returned, fellBack, runState == RunState.PAUSED, pausedNow);
    }

    /**
     * The cluster ledger funded these leases (phase index and epoch; a lease whose epoch moved on or that closed is
     * left alone): their reservations count in the run's ledger share from now on. Returns how many were confirmed.
     */
    public int confirmFunding(int[] phases, long[] epochs) {
        int confirmed = 0;
        for (int k = 0; k < phases.length; k++) {
            int i = phases[k];
            if (i >= 0 && i < state.size && epoch.get(i) == epochs[k] && (flags.get(i) & UNCONFIRMED) != 0
                    && (flags.get(i) & LEASE_OPEN) != 0) {
                forgetFunding(i);
                confirmed++;
            }
        }
        return confirmed;
    }

    /**
     * After a budget top-up: clears PAUSED (back to RUNNING, or QUEUED when nothing was ever leased) and the
     * sequential fallback. Returns whether anything changed.
     */
    public boolean resume(long now) {
        now = advance(now);
        boolean changed = false;
        if (sequentialFallback) {
            sequentialFallback = false;
            changed = true;
        }
        if (runState == RunState.PAUSED) {
            runState = started ? RunState.RUNNING : RunState.QUEUED;
            pauseReason = "";
            appendRunEvent(now);
            changed = true;
        }
        return changed;
    }

    /** Sets the run's own budget (0 = none); {@code SetRunBudget} decides whether the run resumes. */
    public void setBudget(long budgetTokens) {
        blueprint = blueprint.withBudget(budgetTokens);
    }

    /**
     * Renews the lease: the deadline becomes {@code max(deadline, now + ttlMs)} (a heartbeat never shortens a lease).
     * The first heartbeat moves the phase from LEASED to RUNNING. A lease is held until {@link #expireLeases(long)}
     * takes it back, even a little past its deadline. O(1).
     */
    /**
     * Whether the latest lease of {@code phase} was given to {@code worker} (the worker's name); null asks no
     * question (internal callers). Reports of a worker that does not hold the lease are refused like stale ones.
     */
    public boolean heldBy(int phase, String worker) {
        return worker == null || (phase >= 0 && phase < state.size && worker.equals(this.worker.get(phase)));
    }

    public HeartbeatResult heartbeat(int phase, long leaseEpoch, long now, long ttlMs) {
        now = advance(now);
        if (phase < 0 || phase >= state.size || leaseEpoch != epoch.get(phase)
                || (flags.get(phase) & LEASE_OPEN) == 0) {
            return HeartbeatResult.NOT_HELD;
        }
        if (state.get(phase) != LEASED && state.get(phase) != RUNNING) {
            return HeartbeatResult.CANCELLED; // open lease on a phase cancelled with its run
        }
        if (now + ttlMs > deadline.get(phase)) {
            deadline.set(phase, now + ttlMs); // an unchanged deadline leaves its chunk shared
        }
        if (state.get(phase) == LEASED) {
            change(phase, PhaseState.RUNNING, now);
        }
        return new HeartbeatResult(HeartbeatResult.Status.HELD, deadline.get(phase));
    }

    /** {@link #heartbeat(int, long, long, long)} by phase key. */
    public HeartbeatResult heartbeat(String key, long leaseEpoch, long now, long ttlMs) {
        return heartbeat(blueprint.indexOf(key), leaseEpoch, now, ttlMs);
    }

    /** A checkpoint was saved: the same as a heartbeat (renews the lease, LEASED becomes RUNNING). */
    public HeartbeatResult markRunning(int phase, long leaseEpoch, long now, long ttlMs) {
        return heartbeat(phase, leaseEpoch, now, ttlMs);
    }

    /**
     * Records the outcome of the attempt holding {@code leaseEpoch}. Refused, changing nothing, when the epoch is not
     * the phase's latest or the lease is closed (expired, already reported). On acceptance the reported tokens are
     * charged to the phase and the run and the reservation is released; then:
     * <ul>
     *   <li>SUCCEEDED: dependents whose last dependency this was become READY. O(out-degree + log n).</li>
     *   <li>FAILED: retried after {@code backoff(failures)} (READY with a not-before time) while failures &lt;
     *   maxAttempts; else FAILED and every transitive PENDING dependent BLOCKED with reason {@code blocked_by KEY}
     *   (iterative; O(blocked subgraph)).</li>
     *   <li>ABANDONED: back to READY at once; no failure counted.</li>
     * </ul>
     * A phase cancelled with its run while leased accepts one report for its tokens and stays CANCELLED.
     * The run finishes when no phase is PENDING, READY, LEASED or RUNNING.
     */
    public CompleteResult complete(int phase, long leaseEpoch, Outcome outcome, long tokensUsed, String error,
            long now) {
        now = advance(now);
        Objects.requireNonNull(outcome, "outcome");
        Tokens.requireReport("tokensUsed", tokensUsed);
        if (phase < 0 || phase >= state.size) {
            return CompleteResult.refused(CompleteResult.Refusal.UNKNOWN_PHASE, null, "no phase " + phase);
        }
        PhaseState current = PhaseState.of(state.get(phase));
        if (leaseEpoch != epoch.get(phase)) {
            return CompleteResult.refused(CompleteResult.Refusal.STALE_EPOCH, current, "phase "
                    + blueprint.key(phase) + ": epoch " + leaseEpoch + " is not the latest lease (" + epoch.get(phase)
                    + ")");
        }
        if ((flags.get(phase) & LEASE_OPEN) == 0) {
            return CompleteResult.refused(CompleteResult.Refusal.LEASE_NOT_HELD, current, "phase "
                    + blueprint.key(phase) + ": the lease of epoch " + leaseEpoch
                    + " is no longer held (expired or already reported)");
        }
        tokens.set(phase, Tokens.add(tokens.get(phase), tokensUsed));
        this.tokensUsed = Tokens.add(this.tokensUsed, tokensUsed);
        closeLease(phase);
        if (current == PhaseState.CANCELLED) {
            return CompleteResult.accepted(PhaseState.CANCELLED, 0);
        }
        long retryAt = 0;
        switch (outcome) {
            case SUCCEEDED -> {
                reason.set(phase, "");
                phaseFinishedAt.set(phase, now);
                change(phase, PhaseState.SUCCEEDED, now);
                releaseDependents(phase, now);
            }
            case FAILED -> {
                int f = failures.add(phase, 1);
                reason.set(phase, REASON_EXECUTION_ERROR + (error == null ? "" : error));
                RetryPolicy retry = blueprint.settings().retry();
                if (f < retry.maxAttempts()) {
                    retryAt = now + retry.backoffMs(f);
                    notBefore.set(phase, retryAt);
                    change(phase, PhaseState.READY, now);
                    delayed.add(retryAt, phase, epoch.get(phase));
                } else {
                    phaseFinishedAt.set(phase, now);
                    change(phase, PhaseState.FAILED, now);
                    blockDependents(phase, now);
                }
            }
            case ABANDONED -> {
                reason.set(phase, REASON_ABANDONED);
                change(phase, PhaseState.READY, now);
                enqueueReady(phase);
            }
            default -> throw new IllegalStateException("unknown outcome " + outcome);
        }
        finishIfDone(now);
        return CompleteResult.accepted(PhaseState.of(state.get(phase)), retryAt);
    }

    /** {@link #complete(int, long, Outcome, long, String, long)} by phase key. */
    public CompleteResult complete(String key, long leaseEpoch, Outcome outcome, long tokensUsed, String error,
            long now) {
        int i = blueprint.indexOf(key);
        if (i < 0) {
            return CompleteResult.refused(CompleteResult.Refusal.UNKNOWN_PHASE, null, "no phase '" + key + "'");
        }
        return complete(i, leaseEpoch, outcome, tokensUsed, error, now);
    }

    /**
     * Takes back every lease whose deadline is at or before {@code now}: the phase returns to READY (its checkpoint,
     * kept elsewhere, is untouched), {@code requeues} counts it, reason {@code lease_expired}; no execution failure is
     * counted. The epoch stays until the next lease, so the late holder's reports are refused as not held, and after
     * the next lease as stale. When a phase has lost {@value #MAX_REQUEUES} leases in all (the count is history
     * and survives {@link #retry}, so a retried phase gets one more lease) it FAILS and its dependents are BLOCKED.
     * Cost: O(log n) per heap entry that is due;
     * {@link #nextDeadline()} says when to call.
     *
     * @return the expired leases (release their reservations)
     */
    public List<LeaseRef> expireLeases(long now) {
        now = advance(now);
        List<LeaseRef> expired = new ArrayList<>();
        while (!deadlines.isEmpty() && deadlines.peekKey() <= now) {
            int i = deadlines.peekValue();
            long tag = deadlines.peekTag();
            deadlines.remove();
            if (tag != epoch.get(i) || (flags.get(i) & LEASE_OPEN) == 0) {
                continue; // an older lease, or closed by a report
            }
            if (deadline.get(i) > now) {
                deadlines.add(deadline.get(i), i, tag); // renewed by heartbeats since this entry was made
                continue;
            }
            boolean wasReserved = (flags.get(i) & RESERVED) != 0;
            closeLease(i);
            if (state.get(i) != LEASED && state.get(i) != RUNNING) {
                continue; // cancelled with its run; its reservation was released then
            }
            requeues.add(i, 1);
            int blocked = 0;
            if (requeues.get(i) >= MAX_REQUEUES) {
                // a phase whose every lease is lost (it kills its workers, or hangs them) must not loop forever
                reason.set(i, REASON_LEASE_EXPIRED + ": lost " + requeues.get(i) + " leases");
                phaseFinishedAt.set(i, now);
                change(i, PhaseState.FAILED, now);
                int blockedBefore = stateCounts[PhaseState.BLOCKED.ordinal()];
                blockDependents(i, now);
                blocked = stateCounts[PhaseState.BLOCKED.ordinal()] - blockedBefore;
            } else {
                reason.set(i, REASON_LEASE_EXPIRED);
                change(i, PhaseState.READY, now);
                enqueueReady(i);
            }
            expired.add(new LeaseRef(i, blueprint.key(i), tag, wasReserved ? blueprint.estimatedTokens(i) : 0,
                    state.get(i) == PhaseState.FAILED.ordinal(), blocked));
        }
        if (!expired.isEmpty()) {
            finishIfDone(now);
        }
        return expired;
    }

    /**
     * A lower bound of the next lease deadline ({@code Long.MAX_VALUE} when no lease is open): calling
     * {@link #expireLeases(long)} earlier does nothing. It may be earlier than the true next expiry when heartbeats
     * renewed the lease at the head; the call then re-arms it. O(1).
     */
    public long nextDeadline() {
        return deadlines.isEmpty() ? Long.MAX_VALUE : deadlines.peekKey();
    }

    /** A lower bound of the time a phase waiting on a retry backoff becomes leasable; {@code Long.MAX_VALUE} if none. */
    public long nextNotBefore() {
        return delayed.isEmpty() ? Long.MAX_VALUE : delayed.peekKey();
    }

    /**
     * Cancels the run: every phase not final becomes CANCELLED, LEASED and RUNNING ones too (their workers learn it
     * through the next heartbeat, which answers CANCELLED). The open leases' reservations are released now; each may
     * still send one report, accepted only to charge its tokens (the phase stays CANCELLED); any other report is
     * refused. Cancelling a finished run changes nothing. O(n).
     */
    public CancelResult cancel(long now) {
        now = advance(now);
        if (runState.isFinished()) {
            return new CancelResult(false, 0, List.of());
        }
        List<LeaseRef> revoked = new ArrayList<>();
        int cancelled = 0;
        for (int i = 0; i < state.size; i++) {
            if (PhaseState.of(state.get(i)).isFinal()) {
                continue;
            }
            if ((flags.get(i) & LEASE_OPEN) != 0) {
                revoked.add(new LeaseRef(i, blueprint.key(i), epoch.get(i), blueprint.estimatedTokens(i)));
                releaseReservation(i);
            }
            reason.set(i, REASON_CANCELLED);
            phaseFinishedAt.set(i, now);
            change(i, PhaseState.CANCELLED, now);
            cancelled++;
        }
        runState = RunState.CANCELLED;
        pauseReason = "";
        finishedAtMs = now;
        appendRunEvent(now);
        return new CancelResult(true, cancelled, revoked);
    }

    /**
     * Re-runs a finished run's FAILED, BLOCKED and CANCELLED phases; SUCCEEDED and SKIPPED phases are kept. A reset
     * phase keeps its attempts, requeues and tokens (history; attempt numbers go on counting) but its failure count
     * starts again at 0, so it gets the retry policy's full attempts. Its counter of waiting dependencies is
     * recomputed from its dependencies that are not SUCCEEDED or SKIPPED. Leases still open from a cancel are closed
     * (their late reports are refused). The run returns to RUNNING (QUEUED when nothing was ever leased), the pause
     * and the sequential fallback cleared. Refused while the run is active. O(n + edges).
     */
    public RetryResult retry(long now) {
        now = advance(now);
        if (!runState.isFinished()) {
            return new RetryResult(false, 0, "run " + runId + " is " + runState + "; only a finished run is retried");
        }
        if (runState == RunState.SUCCEEDED) {
            return new RetryResult(true, 0, "");
        }
        runState = started ? RunState.RUNNING : RunState.QUEUED;
        pauseReason = "";
        finishedAtMs = 0;
        sequentialFallback = false;
        incarnation++;
        usedBase = tokensUsed;
        appendRunEvent(now);
        int reset = 0;
        for (int i = 0; i < state.size; i++) {
            PhaseState s = PhaseState.of(state.get(i));
            if (s != PhaseState.FAILED && s != PhaseState.BLOCKED && s != PhaseState.CANCELLED) {
                continue;
            }
            closeLease(i);
            failures.set(i, 0);
            notBefore.set(i, 0);
            phaseFinishedAt.set(i, 0);
            reason.set(i, "");
            int waiting = 0;
            for (int k = 0, m = blueprint.dependencyCount(i); k < m; k++) {
                if (!PhaseState.of(state.get(blueprint.dependency(i, k))).satisfiesDependents()) {
                    waiting++;
                }
            }
            remainingDeps.set(i, waiting);
            change(i, waiting == 0 ? PhaseState.READY : PhaseState.PENDING, now);
            if (waiting == 0) {
                enqueueReady(i);
            }
            reset++;
        }
        return new RetryResult(true, reset, "");
    }

    /** Events with a sequence greater than {@code sequence}, oldest first (at most the log's capacity). */
    public EventPage eventsSince(long sequence) {
        long firstKept = Math.max(1, lastSequence - events.length + 1);
        boolean truncated = sequence + 1 < firstKept && lastSequence > 0;
        long from = Math.max(sequence + 1, firstKept);
        List<RunEvent> out = new ArrayList<>((int) Math.max(0, Math.min(events.length, lastSequence - from + 1)));
        for (long s = from; s <= lastSequence; s++) {
            out.add(events[(int) ((s - 1) % events.length)]);
        }
        return new EventPage(out, truncated, lastSequence);
    }

    // ------------------------------------------------------------------------------------------------ internals

    /** {@code max(now, the latest time seen)}, remembered: see {@link #clock}. */
    private long advance(long now) {
        clock = Math.max(clock, now);
        return clock;
    }

    private void change(int i, PhaseState next, long now) {
        int old = state.get(i);
        int nx = next.ordinal();
        if (old == nx) {
            return;
        }
        stateCounts[old]--;
        stateCounts[nx]++;
        PhaseState before = PhaseState.of(old);
        if (before.isFinal() != next.isFinal()) {
            int w = blueprint.wave(i);
            if (next.isFinal()) {
                waveUnfinished[w]--;
                advanceWave();
            } else {
                waveUnfinished[w]++;
                currentWave = Math.min(currentWave, w);
            }
        }
        if (before.isInFlight() && !next.isInFlight()) {
            running--;
        } else if (!before.isInFlight() && next.isInFlight()) {
            running++;
            maxParallelism = Math.max(maxParallelism, running);
        }
        state.set(i, (byte) nx);
        if (nx == READY) {
            readyAt.set(i, Math.max(now, notBefore.get(i)));
        }
        append(new RunEvent.PhaseChanged(lastSequence + 1, now, blueprint.key(i), next, attempts.get(i), worker.get(i),
                reason.get(i), tokens.get(i)));
    }

    private void advanceWave() {
        while (currentWave < waveUnfinished.length && waveUnfinished[currentWave] == 0) {
            currentWave++;
        }
    }

    private void enqueueReady(int i) {
        if ((flags.get(i) & IN_READY) == 0) {
            flags.set(i, (byte) (flags.get(i) | (IN_READY)));
            ready.add(blueprint.rank(i), i, 0);
        }
    }

    private void promoteDelayed(long now) {
        while (!delayed.isEmpty() && delayed.peekKey() <= now) {
            int i = delayed.peekValue();
            long tag = delayed.peekTag();
            delayed.remove();
            if (tag == epoch.get(i) && state.get(i) == READY && notBefore.get(i) <= now) {
                enqueueReady(i);
            }
        }
    }

    private void releaseReservation(int i) {
        if ((flags.get(i) & RESERVED) != 0) {
            forgetFunding(i);
            flags.set(i, (byte) (flags.get(i) & ~RESERVED));
            tokensReserved = Tokens.subtract(tokensReserved, blueprint.estimatedTokens(i));
            reservedLeases--;
        }
    }

    /** The phase's reservation is no longer unconfirmed (funded and confirmed, or released). */
    private void forgetFunding(int i) {
        if ((flags.get(i) & UNCONFIRMED) != 0) {
            flags.set(i, (byte) (flags.get(i) & ~UNCONFIRMED));
            unconfirmedReserved = Tokens.subtract(unconfirmedReserved, blueprint.estimatedTokens(i));
            unconfirmedLeases--;
            unconfirmedCalls.computeIfPresent(leaseCall.get(i), (call, count) -> count == 1 ? null : count - 1);
        }
    }

    private void closeLease(int i) {
        releaseReservation(i);
        flags.set(i, (byte) (flags.get(i) & ~LEASE_OPEN));
    }

    private void releaseDependents(int i, long now) {
        for (int k = 0, m = blueprint.dependentCount(i); k < m; k++) {
            int d = blueprint.dependent(i, k);
            if (state.get(d) == PENDING && remainingDeps.add(d, -1) == 0) {
                change(d, PhaseState.READY, now);
                enqueueReady(d);
            }
        }
    }

    /** Iterative depth-first walk over PENDING dependents; each phase is visited once (it leaves PENDING). */
    private void blockDependents(int root, long now) {
        String why = REASON_BLOCKED_BY + blueprint.key(root);
        int[] stack = new int[16];
        int top = 0;
        stack[top++] = root;
        while (top > 0) {
            int x = stack[--top];
            for (int k = 0, m = blueprint.dependentCount(x); k < m; k++) {
                int d = blueprint.dependent(x, k);
                if (state.get(d) != PENDING) {
                    continue; // SKIPPED dependents satisfy their own dependents; nothing else can be waiting
                }
                reason.set(d, why);
                phaseFinishedAt.set(d, now);
                change(d, PhaseState.BLOCKED, now);
                if (top == stack.length) {
                    stack = Arrays.copyOf(stack, top * 2);
                }
                stack[top++] = d;
            }
        }
    }

    private void finishIfDone(long now) {
        if (runState.isFinished()) {
            return;
        }
        if (stateCounts[PENDING] + stateCounts[READY] + stateCounts[LEASED] + stateCounts[RUNNING] > 0) {
            return;
        }
        runState = stateCounts[SUCCEEDED] + stateCounts[SKIPPED] == state.size
                ? RunState.SUCCEEDED : RunState.FAILED;
        pauseReason = "";
        finishedAtMs = now;
        appendRunEvent(now);
    }

    private void appendRunEvent(long now) {
        append(new RunEvent.RunChanged(lastSequence + 1, now, runState, pauseReason));
    }

    private void append(RunEvent event) {
        lastSequence++;
        events[(int) ((lastSequence - 1) % events.length)] = event;
    }

    // ------------------------------------------------------------------------------------------------ snapshot

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
        return state.size;
    }

    public PhaseState phaseState(int phase) {
        return PhaseState.of(state.get(phase));
    }

    /** Phases in this state now. O(1). */
    public int count(PhaseState s) {
        return stateCounts[s.ordinal()];
    }

    /** Entries in the lease-deadline heap, closed leases included (a test hook). */
    int deadlineEntries() {
        return deadlines.size();
    }

    /** LEASED + RUNNING phases now. */
    public int runningCount() {
        return running;
    }

    /** Most phases LEASED or RUNNING at once so far. */
    public int maxParallelism() {
        return maxParallelism;
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
        return tokensReserved;
    }

    /** Tokens charged so far: the sum of the phases' tokens. */
    public long tokensUsed() {
        return tokensUsed;
    }

    /** Strictly increases with every stored change of the run (a copy is one version ahead of its source). */
    public long version() {
        return version;
    }

    /** The cluster ledger's share of this run: its id and one more for every retry. */
    public String ledgerShareKey() {
        return runId + "#" + incarnation;
    }

    /** Tokens reserved by open leases the ledger's funding of which the run knows. */
    public long confirmedReserved() {
        return Tokens.subtract(tokensReserved, unconfirmedReserved);
    }

    /** Open leases holding a confirmed reservation. */
    public int confirmedLeases() {
        return reservedLeases - unconfirmedLeases;
    }

    /** Tokens charged since this incarnation began (a retry starts again at 0). */
    public long incarnationUsed() {
        return Tokens.subtract(tokensUsed, usedBase);
    }

    /** Versions of the {@link #lease} calls some of whose leases are still unconfirmed, ascending. */
    public long[] unconfirmedCalls() {
        return unconfirmedCalls.keySet().stream().mapToLong(Long::longValue).toArray();
    }

    /** Sequence of the newest event (0 before any). */
    public long lastSequence() {
        return lastSequence;
    }

    /** The lowest wave with a phase not final ({@link RunBlueprint#waveCount()} when none). */
    public int currentWave() {
        return currentWave;
    }

    /** When the phase's latest lease was granted (its attempt's start; 0 before the first). */
    public long phaseStartedAt(int phase) {
        return phaseStartedAt.get(phase);
    }

    /**
     * The earliest time a phase now READY became READY ({@code Long.MAX_VALUE} when none is): the age of the oldest
     * entry of the ready queue. O(n): for metrics, not the hot path.
     */
    public long oldestReadyAt() {
        long oldest = Long.MAX_VALUE;
        if (stateCounts[READY] > 0) {
            for (int i = 0; i < state.size; i++) {
                if (state.get(i) == READY && readyAt.get(i) < oldest) {
                    oldest = readyAt.get(i);
                }
            }
        }
        return oldest;
    }

    /** Epoch of the phase's latest lease (0 before the first). */
    public long epoch(int phase) {
        return epoch.get(phase);
    }

    /** True while the latest lease of the phase is open (not expired, not reported). */
    public boolean leaseOpen(int phase) {
        return (flags.get(phase) & LEASE_OPEN) != 0;
    }

    public PhaseView phase(int i) {
        return new PhaseView(i, blueprint.key(i), blueprint.name(i), PhaseState.of(state.get(i)), attempts.get(i),
                failures.get(i), requeues.get(i), epoch.get(i), worker.get(i), phaseStartedAt.get(i),
                phaseFinishedAt.get(i), tokens.get(i), reason.get(i), notBefore.get(i), blueprint.estimatedTokens(i),
                blueprint.dependsOn(i), blueprint.inferredDependsOn(i));
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
        List<PhaseView> out = new ArrayList<>(state.size);
        for (int i = 0; i < state.size; i++) {
            out.add(phase(i));
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------ serialization

    private static final byte EVENT_NONE = 0;
    private static final byte EVENT_PHASE = 1;
    private static final byte EVENT_RUN = 2;

    @Override
    public int getFactoryId() {
        return SerializationIds.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return SerializationIds.RUN_RECORD;
    }

    /** Every field as it is (arrays, heaps in heap order, the event ring slot by slot): a read gives an equal copy. */
    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeString(runId);
        out.writeString(name);
        out.writeObject(blueprint);
        out.writeByte(runState.ordinal());
        out.writeString(pauseReason);
        out.writeLong(createdAtMs);
        out.writeLong(startedAtMs);
        out.writeBoolean(started);
        out.writeLong(finishedAtMs);
        out.writeLong(clock);
        out.writeByteArray(state.toArray());
        out.writeIntArray(remainingDeps.toArray());
        out.writeIntArray(attempts.toArray());
        out.writeIntArray(failures.toArray());
        out.writeIntArray(requeues.toArray());
        out.writeLongArray(epoch.toArray());
        out.writeStringArray(worker.toArray());
        out.writeLongArray(deadline.toArray());
        out.writeLongArray(notBefore.toArray());
        out.writeLongArray(readyAt.toArray());
        out.writeLongArray(phaseStartedAt.toArray());
        out.writeLongArray(phaseFinishedAt.toArray());
        out.writeLongArray(tokens.toArray());
        out.writeStringArray(reason.toArray());
        out.writeByteArray(flags.toArray());
        out.writeIntArray(stateCounts);
        out.writeIntArray(waveUnfinished);
        out.writeInt(currentWave);
        out.writeInt(running);
        out.writeInt(maxParallelism);
        out.writeInt(fallbacks);
        out.writeBoolean(sequentialFallback);
        out.writeLong(tokensReserved);
        out.writeLong(tokensUsed);
        ready.writeTo(out);
        delayed.writeTo(out);
        deadlines.writeTo(out);
        out.writeLong(version);
        out.writeInt(incarnation);
        out.writeLong(usedBase);
        out.writeInt(reservedLeases);
        out.writeLong(unconfirmedReserved);
        out.writeInt(unconfirmedLeases);
        out.writeLongArray(leaseCall.toArray());
        out.writeInt(unconfirmedCalls.size());
        for (Map.Entry<Long, Integer> call : unconfirmedCalls.entrySet()) {
            out.writeLong(call.getKey());
            out.writeInt(call.getValue());
        }
        out.writeLong(lastSequence);
        out.writeInt(events.length);
        for (RunEvent event : events) {
            if (event instanceof RunEvent.PhaseChanged p) {
                out.writeByte(EVENT_PHASE);
                out.writeLong(p.sequence());
                out.writeLong(p.atMs());
                out.writeString(p.key());
                out.writeByte(p.state().ordinal());
                out.writeInt(p.attempt());
                out.writeString(p.worker());
                out.writeString(p.reason());
                out.writeLong(p.tokens());
            } else if (event instanceof RunEvent.RunChanged r) {
                out.writeByte(EVENT_RUN);
                out.writeLong(r.sequence());
                out.writeLong(r.atMs());
                out.writeByte(r.state().ordinal());
                out.writeString(r.pauseReason());
            } else {
                out.writeByte(EVENT_NONE);
            }
        }
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        runId = in.readString();
        name = in.readString();
        blueprint = in.readObject();
        runState = RunState.of(in.readByte());
        pauseReason = in.readString();
        createdAtMs = in.readLong();
        startedAtMs = in.readLong();
        started = in.readBoolean();
        finishedAtMs = in.readLong();
        clock = in.readLong();
        state = Column.Bytes.of(in.readByteArray());
        remainingDeps = Column.Ints.of(in.readIntArray());
        attempts = Column.Ints.of(in.readIntArray());
        failures = Column.Ints.of(in.readIntArray());
        requeues = Column.Ints.of(in.readIntArray());
        epoch = Column.Longs.of(in.readLongArray());
        worker = Column.Strings.of(in.readStringArray());
        deadline = Column.Longs.of(in.readLongArray());
        notBefore = Column.Longs.of(in.readLongArray());
        readyAt = Column.Longs.of(in.readLongArray());
        phaseStartedAt = Column.Longs.of(in.readLongArray());
        phaseFinishedAt = Column.Longs.of(in.readLongArray());
        tokens = Column.Longs.of(in.readLongArray());
        reason = Column.Strings.of(in.readStringArray());
        flags = Column.Bytes.of(in.readByteArray());
        stateCounts = in.readIntArray();
        waveUnfinished = in.readIntArray();
        currentWave = in.readInt();
        running = in.readInt();
        maxParallelism = in.readInt();
        fallbacks = in.readInt();
        sequentialFallback = in.readBoolean();
        tokensReserved = in.readLong();
        tokensUsed = in.readLong();
        ready = LongIntHeap.readFrom(in);
        delayed = LongIntHeap.readFrom(in);
        deadlines = LongIntHeap.readFrom(in);
        version = in.readLong();
        incarnation = in.readInt();
        usedBase = in.readLong();
        reservedLeases = in.readInt();
        unconfirmedReserved = in.readLong();
        unconfirmedLeases = in.readInt();
        leaseCall = Column.Longs.of(in.readLongArray());
        unconfirmedCalls = new TreeMap<>();
        for (int k = in.readInt(); k > 0; k--) {
            unconfirmedCalls.put(in.readLong(), in.readInt());
        }
        lastSequence = in.readLong();
        events = new RunEvent[in.readInt()];
        for (int i = 0; i < events.length; i++) {
            byte type = in.readByte();
            if (type == EVENT_PHASE) {
                events[i] = new RunEvent.PhaseChanged(in.readLong(), in.readLong(), in.readString(),
                        PhaseState.of(in.readByte()), in.readInt(), in.readString(), in.readString(), in.readLong());
            } else if (type == EVENT_RUN) {
                events[i] = new RunEvent.RunChanged(in.readLong(), in.readLong(), RunState.of(in.readByte()),
                        in.readString());
            }
        }
    }
}
