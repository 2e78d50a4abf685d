package io.phasegrid.coordinator.lease;

import io.phasegrid.coordinator.run.GitReport;
import io.phasegrid.coordinator.run.Outcome;
import io.phasegrid.coordinator.run.PhaseState;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/** How workers get and report phases: the domain behind {@code WorkerService}. Any member serves every call. */
public interface WorkerGateway {

    /** The principal of calls that name none: the embedded {@code run}'s, and every call on a server without auth. */
    String LOCAL_PRINCIPAL = "local";

    /** {@link #register(String, String, int, Map)} for {@link #LOCAL_PRINCIPAL}. */
    default WorkerRegistration register(String name, int slots, Map<String, String> labels) {
        return register(LOCAL_PRINCIPAL, name, slots, labels);
    }

    /**
     * Registers worker {@code name} for {@code principal}; the same principal registering the same name again gets
     * the same id.
     *
     * @throws ForeignWorkerException when another principal's registration of the name is still live
     */
    WorkerRegistration register(String principal, String name, int slots, Map<String, String> labels);

    /**
     * Refuses a call of {@code principal} about worker {@code workerId} when another principal registered it; an
     * unknown id passes (the call answers for a worker that holds nothing).
     *
     * @throws ForeignWorkerException for another principal's worker
     */
    void requireOwner(String workerId, String principal);

    /** This gateway as {@code principal} calls it: its registrations are the principal's, others' workers refused. */
    default WorkerGateway boundTo(String principal) {
        return new PrincipalWorkerGateway(this, principal);
    }

    /**
     * Waits up to {@code waitMs} for ready phases and leases at most {@code freeSlots} of them (the worker reserved
     * the slots before polling). Budget reservations are made before a lease is handed out.
     *
     * @throws IllegalArgumentException for an unknown worker or {@code freeSlots < 1}
     */
    List<LeaseOffer> poll(String workerId, int freeSlots, long waitMs) throws InterruptedException;

    /**
     * {@link #poll(String, int, long)} for a caller that may go away while the poll waits (a cancelled long-poll
     * call, a dead worker): once {@code cancelled} is true nothing more is leased and the poll answers empty, so no
     * phase is leased to nobody and left to expire after the lease TTL.
     */
    default List<LeaseOffer> poll(String workerId, int freeSlots, long waitMs, BooleanSupplier cancelled)
            throws InterruptedException {
        return cancelled.getAsBoolean() ? List.of() : poll(workerId, freeSlots, waitMs);
    }

    /**
     * Wakes every poll waiting for phases, so a poll whose caller went away sees its {@code cancelled} at once
     * instead of at the end of its wait; the others wait on. Nothing to do where polls do not wait.
     */
    default void wakePolls() {
    }

    /** Renews the leases still held; answers for each. */
    List<LeaseStatus> heartbeat(String workerId, List<LeaseKey> leases, int slots, int busySlots);

    /**
     * Records progress (also renews the lease and marks the phase RUNNING).
     *
     * @param workerId the reporting worker; a lease given to another worker is not held by it. Null for the
     *     coordinator's own calls (no holder check)
     * @return the renewed expiry
     * @throws StaleLeaseException when the lease is not held (by this worker)
     */
    default long checkpoint(String workerId, LeaseKey lease, List<String> completedPlans, byte[] blob,
            long tokensSoFar) {
        return checkpoint(workerId, lease, completedPlans, blob, tokensSoFar, "");
    }

    /**
     * {@link #checkpoint(String, LeaseKey, List, byte[], long)} with the commit of a git lease's completed plans
     * (a later lease resumes there); empty for a plain lease.
     *
     * @throws IllegalArgumentException when the commit does not fit the lease: missing on a git lease, given on a
     *     plain one
     */
    long checkpoint(String workerId, LeaseKey lease, List<String> completedPlans, byte[] blob, long tokensSoFar,
            String commit);

    /** {@link #checkpoint(String, LeaseKey, List, byte[], long)} without a holder check. */
    default long checkpoint(LeaseKey lease, List<String> completedPlans, byte[] blob, long tokensSoFar) {
        return checkpoint(null, lease, completedPlans, blob, tokensSoFar);
    }

    /**
     * Reports an attempt's outcome; commits the tokens to the ledger and refunds the rest of the reservation.
     *
     * @param workerId the reporting worker (null: the coordinator's own calls, no holder check)
     * @return the phase's state after the report
     * @throws StaleLeaseException when the lease is not held (by this worker)
     */
    PhaseState complete(String workerId, LeaseKey lease, Outcome outcome, long tokensUsed, String error);

    /**
     * {@link #complete(String, LeaseKey, Outcome, long, String)} without blocking the caller: the answer completes
     * with the phase's state, or fails with {@link StaleLeaseException} (or the map's error).
     */
    default CompletableFuture<PhaseState> completeAsync(String workerId, LeaseKey lease, Outcome outcome,
            long tokensUsed, String error) {
        return completeAsync(workerId, lease, outcome, tokensUsed, error, GitReport.NONE);
    }

    /**
     * {@link #completeAsync(String, LeaseKey, Outcome, long, String)} with the git part of the report; the answer
     * fails with {@link IllegalArgumentException} when it does not fit the lease (see {@link GitReport}).
     */
    CompletableFuture<PhaseState> completeAsync(String workerId, LeaseKey lease, Outcome outcome, long tokensUsed,
            String error, GitReport git);

    /** {@link #complete(String, LeaseKey, Outcome, long, String)} without a holder check. */
    default PhaseState complete(LeaseKey lease, Outcome outcome, long tokensUsed, String error) {
        return complete(null, lease, outcome, tokensUsed, error);
    }
}
