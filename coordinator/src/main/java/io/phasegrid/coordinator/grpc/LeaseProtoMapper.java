package io.phasegrid.coordinator.grpc;

import io.phasegrid.coordinator.lease.LeaseKey;
import io.phasegrid.coordinator.lease.LeaseOffer;
import io.phasegrid.coordinator.lease.LeaseStatus;
import io.phasegrid.coordinator.lease.StaleLeaseException;
import io.phasegrid.coordinator.run.GitReport;
import io.phasegrid.coordinator.run.Outcome;
import io.phasegrid.proto.v1.CompletePhaseRequest;
import io.phasegrid.proto.v1.HeartbeatResponse;
import io.phasegrid.proto.v1.Lease;
import io.phasegrid.proto.v1.LeaseRef;
import io.phasegrid.proto.v1.LeasedPlan;
import io.phasegrid.proto.v1.PollLeaseResponse;
import java.util.List;

/** Leases between proto and the lease domain: keys, references, offers, statuses and outcomes. */
final class LeaseProtoMapper {

    private LeaseProtoMapper() {
    }

    static LeaseKey key(LeaseRef ref) {
        return new LeaseKey(ref.getRunId(), ref.getPhaseKey(), ref.getEpoch());
    }

    static List<LeaseKey> keys(PollLeaseResponse leases) {
        return leases.getLeasesList().stream()
                .map(l -> new LeaseKey(l.getRunId(), l.getPhaseKey(), l.getEpoch())).toList();
    }

    static LeaseRef ref(LeaseKey key) {
        return LeaseRef.newBuilder().setRunId(key.runId()).setPhaseKey(key.phaseKey()).setEpoch(key.epoch()).build();
    }

    /** The worker a report comes from; a report naming none cannot hold a lease. */
    static String reporter(LeaseRef ref) {
        if (ref.getWorkerId().isEmpty()) {
            throw new StaleLeaseException("the report names no worker_id: it holds no lease");
        }
        return ref.getWorkerId();
    }

    static Outcome outcome(CompletePhaseRequest request) {
        return switch (request.getOutcome()) {
            case OUTCOME_SUCCEEDED -> Outcome.SUCCEEDED;
            case OUTCOME_FAILED -> Outcome.FAILED;
            case OUTCOME_CONFLICT -> Outcome.CONFLICT;
            default -> Outcome.ABANDONED; // the limits let only the known outcomes through
        };
    }

    /** The git part of a report; the record keeps the result commit of a success only, as worker.proto says. */
    static GitReport gitReport(CompletePhaseRequest request) {
        return new GitReport(request.getResultCommit(), request.getConflictPathsList(),
                WorkerRequestLimits.deliveryNote(request.getDeliveryNote()));
    }

    /** The answers of a heartbeat, one per lease in order. */
    static void addStatuses(HeartbeatResponse.Builder response, List<LeaseStatus> statuses) {
        for (LeaseStatus status : statuses) {
            response.addLeasesBuilder()
                    .setLease(ref(status.key()))
                    .setHeld(status.held())
                    .setCancelled(status.cancelled())
                    .setExpiresAtMs(status.expiresAtMs());
        }
    }

    static Lease lease(LeaseOffer offer) {
        Lease.Builder lease = Lease.newBuilder()
                .setRunId(offer.key().runId())
                .setPhaseKey(offer.key().phaseKey())
                .setEpoch(offer.key().epoch())
                .setAttempt(offer.attempt())
                .setPhaseName(offer.phaseName())
                .setEstimatedTokens(offer.estimatedTokens())
                .setCheckpoint(RunProtoMapper.bytes(offer.checkpoint()))
                .setExpiresAtMs(offer.expiresAtMs());
        if (offer.git() != null) {
            lease.setGit(GitProtoMapper.leaseGit(offer));
        }
        for (LeaseOffer.OfferedPlan plan : offer.plans()) {
            lease.addPlans(LeasedPlan.newBuilder().setId(plan.id()).setPath(plan.path())
                    .setContent(RunProtoMapper.bytes(plan.content())).setCompleted(plan.completed()));
        }
        return lease.build();
    }
}
