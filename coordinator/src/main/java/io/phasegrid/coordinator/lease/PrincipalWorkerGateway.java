package io.phasegrid.coordinator.lease;

import io.phasegrid.coordinator.run.GitReport;
import io.phasegrid.coordinator.run.Outcome;
import io.phasegrid.coordinator.run.PhaseState;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * A gateway as one authenticated principal sees it: it registers workers for that principal, and every call that
 * names a worker id is refused ({@link ForeignWorkerException}) when another principal registered that worker, so
 * a caller cannot poll, renew or report with an id it did not register, whatever ids it sends.
 */
final class PrincipalWorkerGateway implements WorkerGateway {

    private final WorkerGateway gateway;
    private final String principal;

    PrincipalWorkerGateway(WorkerGateway gateway, String principal) {
        this.gateway = Objects.requireNonNull(gateway, "gateway");
        this.principal = Objects.requireNonNull(principal, "principal");
    }

    @Override
    public WorkerRegistration register(String name, int slots, Map<String, String> labels) {
        return gateway.register(principal, name, slots, labels);
    }

    @Override
    public WorkerRegistration register(String otherPrincipal, String name, int slots, Map<String, String> labels) {
        return register(name, slots, labels); // a bound gateway registers for its own principal only
    }

    @Override
    public void requireOwner(String workerId, String ignored) {
        gateway.requireOwner(workerId, principal);
    }

    @Override
    public WorkerGateway boundTo(String other) {
        return this;
    }

    @Override
    public List<LeaseOffer> poll(String workerId, int freeSlots, long waitMs) throws InterruptedException {
        gateway.requireOwner(workerId, principal);
        return gateway.poll(workerId, freeSlots, waitMs);
    }

    @Override
    public List<LeaseOffer> poll(String workerId, int freeSlots, long waitMs, BooleanSupplier cancelled)
            throws InterruptedException {
        gateway.requireOwner(workerId, principal);
        return gateway.poll(workerId, freeSlots, waitMs, cancelled);
    }

    @Override
    public void wakePolls() {
        gateway.wakePolls();
    }

    @Override
    public List<LeaseStatus> heartbeat(String workerId, List<LeaseKey> leases, int slots, int busySlots) {
        gateway.requireOwner(workerId, principal);
        return gateway.heartbeat(workerId, leases, slots, busySlots);
    }

    @Override
    public long checkpoint(String workerId, LeaseKey lease, List<String> completedPlans, byte[] blob,
            long tokensSoFar, String commit) {
        gateway.requireOwner(workerId, principal);
        return gateway.checkpoint(workerId, lease, completedPlans, blob, tokensSoFar, commit);
    }

    @Override
    public PhaseState complete(String workerId, LeaseKey lease, Outcome outcome, long tokensUsed, String error) {
        gateway.requireOwner(workerId, principal);
        return gateway.complete(workerId, lease, outcome, tokensUsed, error);
    }

    @Override
    public CompletableFuture<PhaseState> completeAsync(String workerId, LeaseKey lease, Outcome outcome,
            long tokensUsed, String error, GitReport git) {
        try {
            gateway.requireOwner(workerId, principal);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return gateway.completeAsync(workerId, lease, outcome, tokensUsed, error, git);
    }
}
