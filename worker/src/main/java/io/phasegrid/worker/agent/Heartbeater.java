package io.phasegrid.worker.agent;

import static io.phasegrid.worker.agent.AgentLog.LOG;

import io.grpc.StatusRuntimeException;
import io.phasegrid.proto.v1.HeartbeatRequest;
import io.phasegrid.proto.v1.HeartbeatResponse;
import io.phasegrid.proto.v1.LeaseStatus;
import java.util.List;

/**
 * Every heartbeat interval (from the session) renews every held lease and sends the slots and busy slots; stops the
 * phases whose lease is lost (no report) and marks those whose run was cancelled (the executor stops them and they
 * are reported ABANDONED). After a failed heartbeat it tries again after a quarter interval: two missed intervals
 * could otherwise cost the leases.
 */
final class Heartbeater implements Runnable {

    private final String workerName;
    private final Connection connection;
    private final SessionSource sessions;
    private final HeldLeases held;
    private final Slots slots;

    Heartbeater(String workerName, Connection connection, SessionSource sessions, HeldLeases held, Slots slots) {
        this.workerName = workerName;
        this.connection = connection;
        this.sessions = sessions;
        this.held = held;
        this.slots = slots;
    }

    @Override
    public void run() {
        try {
            boolean lastFailed = false;
            while (true) {
                Connection.Session session = sessions.session();
                held.fenceAfter(session.leaseTtlMs(), session.heartbeatIntervalMs());
                long interval = session.heartbeatIntervalMs();
                Thread.sleep(lastFailed ? Math.max(1, interval / 4) : interval);
                lastFailed = !beat(sessions.session());
            }
        } catch (InterruptedException e) {
            // stopped by drain
        }
    }

    /** One heartbeat; false when it failed. */
    private boolean beat(Connection.Session session) throws InterruptedException {
        List<HeldLease> leases = held.snapshot();
        HeartbeatRequest.Builder request = HeartbeatRequest.newBuilder()
                .setWorkerId(session.workerId())
                .setSlots(slots.total())
                .setBusySlots(slots.busy());
        leases.forEach(h -> request.addLeases(h.ref));
        long sentAt = System.nanoTime();
        HeartbeatResponse answer;
        try {
            answer = session.link().heartbeat(request.build());
        } catch (StatusRuntimeException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("interrupted while heartbeating");
            }
            if (Connection.isTransient(e) || !connection.isCurrent(session)) {
                connection.broken(session, e);
            } else {
                LOG.warn("worker {}: heartbeat refused by {}: {}", workerName, session.link().address(),
                        Connection.describe(e));
            }
            return false;
        }
        for (LeaseStatus status : answer.getLeasesList()) {
            HeldLease phase = held.get(LeaseKey.of(status.getLease()));
            if (phase != null) {
                try (PhaseLogContext context = PhaseLogContext.open(phase.lease, workerName)) {
                    apply(phase, status, sentAt);
                }
            }
        }
        return true;
    }

    private void apply(HeldLease phase, LeaseStatus status, long sentAt) {
        if (!status.getHeld()) {
            held.lose(phase, "the coordinator no longer holds it for this worker");
            return;
        }
        phase.renewedAtNanos = Math.max(phase.renewedAtNanos, sentAt);
        if (status.getCancelled() && !phase.cancelled) {
            phase.cancelled = true;
            LOG.info("worker {}: run of {} cancelled; stopping the phase", workerName, phase.key);
        }
    }
}
