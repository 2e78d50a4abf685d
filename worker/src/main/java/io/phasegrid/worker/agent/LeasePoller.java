package io.phasegrid.worker.agent;

import static io.phasegrid.worker.agent.AgentLog.LOG;

import io.grpc.StatusRuntimeException;
import io.phasegrid.proto.v1.Lease;
import io.phasegrid.proto.v1.PollLeaseRequest;
import io.phasegrid.proto.v1.PollLeaseResponse;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The poll loop: reserves free slots (never fewer than one), long-polls for at most that many leases, starts each
 * lease it got on the slot reserved for it and gives the unused slots back. A lease beyond the reserved slots, or
 * one that arrives while the agent stops polling, is handed back at once. A refused poll is tried again after the
 * reconnect backoff; a transport failure breaks the connection (the next poll reconnects).
 */
final class LeasePoller implements Runnable {

    private final WorkerOptions options;
    private final Connection connection;
    private final SessionSource sessions;
    private final Slots slots;
    private final PhaseRunner runner;
    private volatile boolean polling = true;

    LeasePoller(WorkerOptions options, Connection connection, SessionSource sessions, Slots slots,
            PhaseRunner runner) {
        this.options = options;
        this.connection = connection;
        this.sessions = sessions;
        this.slots = slots;
        this.runner = runner;
    }

    /** Ends the loop after the current poll (the caller interrupts the thread to end a long poll). */
    void stopPolling() {
        polling = false;
    }

    @Override
    public void run() {
        int failures = 0;
        while (polling) {
            int reserved;
            try {
                reserved = slots.reserve();
            } catch (InterruptedException e) {
                return;
            }
            int unused = reserved;
            try {
                if (!polling) {
                    return;
                }
                Connection.Session session = sessions.session();
                PollLeaseResponse answer;
                try {
                    answer = session.link().poll(PollLeaseRequest.newBuilder()
                            .setWorkerId(session.workerId())
                            .setFreeSlots(reserved)
                            .setWaitMs(options.pollWait().toMillis())
                            .build());
                    failures = 0;
                } catch (StatusRuntimeException e) {
                    if (!polling || Thread.currentThread().isInterrupted()) {
                        return;
                    }
                    if (Connection.isTransient(e) || !connection.isCurrent(session)) {
                        connection.broken(session, e);
                    } else {
                        failures++;
                        long delay = options.reconnectBackoff().delayMillis(failures, ThreadLocalRandom.current());
                        LOG.warn("worker {}: poll refused by {}: {}; polling again in {} ms", options.name(),
                                session.link().address(), Connection.describe(e), delay);
                        Thread.sleep(delay);
                    }
                    continue;
                }
                for (Lease lease : answer.getLeasesList()) {
                    try (PhaseLogContext context = PhaseLogContext.open(lease, options.name())) {
                        if (unused > 0 && polling && runner.start(lease)) {
                            unused--;
                        } else {
                            runner.handBack(lease, unused > 0 ? "the worker is draining"
                                    : "more leases than the " + reserved + " slot(s) polled for");
                        }
                    }
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                slots.release(unused);
            }
        }
    }
}
