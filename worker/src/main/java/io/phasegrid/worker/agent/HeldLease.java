package io.phasegrid.worker.agent;

import io.phasegrid.proto.v1.Lease;
import io.phasegrid.proto.v1.LeaseRef;
import io.phasegrid.proto.v1.LeasedPlan;
import io.phasegrid.worker.executor.ExecutionListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/** A lease the agent holds, and the listener of its execution: plans completed become queued checkpoints. */
final class HeldLease implements ExecutionListener {

    final Lease lease;
    final LeaseRef ref;
    final LeaseKey key;
    final AtomicLong checkpointSeq = new AtomicLong();
    private final List<String> completedPlans = new ArrayList<>(); // guarded by this
    private final HeldLeases leases;
    private final Consumer<Report> reports;
    volatile long tokensSoFar;
    volatile boolean lost;
    volatile boolean cancelled;
    /** The executor returned (or the lease is handed back): only the report is left. */
    volatile boolean finished;
    /** When the last renewal that the coordinator confirmed was sent (System.nanoTime). */
    volatile long renewedAtNanos = System.nanoTime();

    HeldLease(Lease lease, String workerId, HeldLeases leases, Consumer<Report> reports) {
        this.lease = lease;
        this.ref = LeaseRef.newBuilder()
                .setRunId(lease.getRunId())
                .setPhaseKey(lease.getPhaseKey())
                .setEpoch(lease.getEpoch())
                .setWorkerId(workerId)
                .build();
        this.key = LeaseKey.of(ref);
        this.leases = leases;
        this.reports = reports;
        for (LeasedPlan plan : lease.getPlansList()) {
            if (plan.getCompleted()) {
                completedPlans.add(plan.getId());
            }
        }
    }

    @Override
    public void planCompleted(String planId, byte[] blob, long tokens) {
        planCompleted(planId, blob, tokens, "");
    }

    @Override
    public void planCompleted(String planId, byte[] blob, long tokens, String commit) {
        if (lost) {
            return;
        }
        List<String> plans;
        synchronized (this) {
            if (!completedPlans.contains(planId)) {
                completedPlans.add(planId);
            }
            plans = List.copyOf(completedPlans);
        }
        tokensSoFar = tokens;
        reports.accept(new Report.Checkpoint(this, checkpointSeq.incrementAndGet(), plans, blob, tokens, commit));
    }

    /**
     * Also self-fencing: a lease not renewed for a TTL less one heartbeat interval (measured from when the last
     * confirmed renewal was sent, on this machine's monotonic clock) may be another worker's by now, for example
     * while the coordinator is unreachable. The phase is stopped without a report, so two workers never keep
     * running one phase. A finished phase's report is still delivered: the coordinator's epoch check decides.
     */
    @Override
    public boolean cancelled() {
        if (!lost && !finished && System.nanoTime() - renewedAtNanos > leases.fenceAfterNanos()) {
            leases.lose(this, "not renewed within its TTL");
        }
        return lost || cancelled;
    }
}
