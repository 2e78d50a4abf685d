package io.phasegrid.coordinator.run;

import io.phasegrid.coordinator.ledger.Tokens;
import java.util.Map;
import java.util.TreeMap;

/**
 * The run's token bookkeeping: tokens reserved by open leases and charged by reports, and the cluster ledger's view
 * of the run (its share): which reservations the ledger funded but the run has not been told of yet (unconfirmed,
 * left out of the share until {@link RunRecord#confirmFunding}), by the lease call that made them, and the
 * incarnation (a retry's tokens go to a new share).
 *
 * <p>Not thread-safe, like the record.
 */
final class RunFunding {

    private final PhaseTable phases;
    long tokensReserved;
    long tokensUsed;
    /** Incremented by a retry: the retried run's tokens go to a new ledger share. */
    int incarnation;
    /** {@link #tokensUsed} when this incarnation began. */
    long usedBase;
    /** Open leases holding a reservation, confirmed or not. */
    int reservedLeases;
    long unconfirmedReserved;
    int unconfirmedLeases;
    /** Versions of the lease calls with leases still unconfirmed, and how many each. */
    final TreeMap<Long, Integer> unconfirmedCalls;

    RunFunding(PhaseTable phases) {
        this.phases = phases;
        unconfirmedCalls = new TreeMap<>();
    }

    /** A copy over {@code table}, the copy of this one's table. */
    RunFunding(RunFunding o, PhaseTable table) {
        phases = table;
        tokensReserved = o.tokensReserved;
        tokensUsed = o.tokensUsed;
        incarnation = o.incarnation;
        usedBase = o.usedBase;
        reservedLeases = o.reservedLeases;
        unconfirmedReserved = o.unconfirmedReserved;
        unconfirmedLeases = o.unconfirmedLeases;
        unconfirmedCalls = new TreeMap<>(o.unconfirmedCalls);
    }

    /** The new lease of phase {@code i} reserves {@code estimate}; unconfirmed under lease call {@code call}. */
    void reserve(int i, long estimate, boolean awaitFunding, long call) {
        phases.raise(i, PhaseTable.RESERVED);
        tokensReserved = Tokens.add(tokensReserved, estimate);
        reservedLeases++;
        if (awaitFunding) {
            phases.raise(i, PhaseTable.UNCONFIRMED);
            unconfirmedReserved = Tokens.add(unconfirmedReserved, estimate);
            unconfirmedLeases++;
            phases.leaseCall.set(i, call);
            unconfirmedCalls.merge(call, 1, Integer::sum);
        }
    }

    /** Phase {@code i}'s lease gives its reservation back (closed, cancelled or refused), if it holds one. */
    void release(int i, long estimate) {
        if (phases.has(i, PhaseTable.RESERVED)) {
            confirm(i, estimate);
            phases.clear(i, PhaseTable.RESERVED);
            tokensReserved = Tokens.subtract(tokensReserved, estimate);
            reservedLeases--;
        }
    }

    /** The phase's reservation is no longer unconfirmed (funded and confirmed, or released). */
    void confirm(int i, long estimate) {
        if (phases.has(i, PhaseTable.UNCONFIRMED)) {
            phases.clear(i, PhaseTable.UNCONFIRMED);
            unconfirmedReserved = Tokens.subtract(unconfirmedReserved, estimate);
            unconfirmedLeases--;
            unconfirmedCalls.computeIfPresent(phases.leaseCall.get(i), (call, count) -> count == 1 ? null : count - 1);
        }
    }

    void charge(long tokens) {
        tokensUsed = Tokens.add(tokensUsed, tokens);
    }

    /** A retry: the run's next tokens go to a new ledger share. */
    void newIncarnation() {
        incarnation++;
        usedBase = tokensUsed;
    }

    long confirmedReserved() {
        return Tokens.subtract(tokensReserved, unconfirmedReserved);
    }

    int confirmedLeases() {
        return reservedLeases - unconfirmedLeases;
    }

    long incarnationUsed() {
        return Tokens.subtract(tokensUsed, usedBase);
    }

    long[] unconfirmedCallVersions() {
        return unconfirmedCalls.keySet().stream().mapToLong(Long::longValue).toArray();
    }

    /** For the codec: the unconfirmed calls as they are. */
    void restoreCalls(Map<Long, Integer> calls) {
        unconfirmedCalls.putAll(calls);
    }
}
