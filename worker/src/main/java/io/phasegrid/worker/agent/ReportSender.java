package io.phasegrid.worker.agent;

import static io.phasegrid.worker.agent.AgentLog.LOG;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.phasegrid.proto.v1.CompletePhaseResult;
import io.phasegrid.worker.executor.PhaseOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Sends checkpoints and completions. A lease's reports always go to one lane, in order; leases of other lanes go in
 * parallel (up to {@value #MAX_LANES} lanes, so one round trip does not hold back other leases' reports).
 * Completions that queued up while the previous report was in flight go in one message. A report that fails on the
 * transport is sent again on a new connection (up to the options' report attempts); one refused as stale is dropped
 * and its lease lost.
 */
final class ReportSender {

    static final int MAX_LANES = 8;
    /** Most completions sent in one message. */
    static final int MAX_BATCH = 64;

    private final String workerName;
    private final Connection connection;
    private final SessionSource sessions;
    private final HeldLeases held;
    private final int attempts;
    private final List<BlockingQueue<Report>> lanes = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final Object pendingMonitor = new Object();
    private int pending; // guarded by pendingMonitor

    ReportSender(WorkerOptions options, String threadPrefix, Connection connection, SessionSource sessions,
            HeldLeases held) {
        this.workerName = options.name();
        this.connection = connection;
        this.sessions = sessions;
        this.held = held;
        this.attempts = options.reportAttempts();
        int count = Math.max(1, Math.min(MAX_LANES, options.slots()));
        for (int i = 0; i < count; i++) {
            BlockingQueue<Report> lane = new LinkedBlockingQueue<>();
            lanes.add(lane);
            threads.add(new Thread(() -> sendLoop(lane), threadPrefix + "reporter-" + i));
        }
    }

    void start() {
        threads.forEach(Thread::start);
    }

    void enqueue(Report report) {
        synchronized (pendingMonitor) {
            pending++;
        }
        lanes.get(Math.floorMod(report.phase().key.hashCode(), lanes.size())).add(report);
    }

    int pending() {
        synchronized (pendingMonitor) {
            return pending;
        }
    }

    /** Waits until every queued report was delivered or given up; false after {@code timeoutMs}. */
    boolean awaitDelivered(long timeoutMs) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        synchronized (pendingMonitor) {
            try {
                while (pending > 0) {
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (left <= 0) {
                        return false;
                    }
                    pendingMonitor.wait(left);
                }
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** Stops the lane threads, waiting at most {@code ms} for each. */
    void stop(long ms) {
        threads.forEach(Thread::interrupt);
        threads.forEach(t -> Threads.joinUninterruptibly(t, ms));
    }

    private void sendLoop(BlockingQueue<Report> lane) {
        try {
            while (true) {
                Report report = lane.take();
                List<Report.Completion> completions = new ArrayList<>();
                if (report instanceof Report.Completion first) {
                    // a lease's reports stay in order: a completion is a lease's last report, and a checkpoint
                    // stops the batch
                    completions.add(first);
                    while (completions.size() < MAX_BATCH && lane.peek() instanceof Report.Completion next) {
                        lane.poll();
                        completions.add(next);
                    }
                }
                try {
                    if (completions.size() > 1) {
                        deliverBatch(completions);
                    } else {
                        try (PhaseLogContext context = PhaseLogContext.open(report.phase().lease, workerName)) {
                            deliver(report);
                        }
                    }
                } finally {
                    synchronized (pendingMonitor) {
                        pending -= Math.max(1, completions.size());
                        pendingMonitor.notifyAll();
                    }
                }
            }
        } catch (InterruptedException e) {
            // stopped by drain
        }
    }

    private void deliverBatch(List<Report.Completion> completions) throws InterruptedException {
        try {
            deliverAll(completions);
        } catch (RuntimeException e) {
            // a lane must outlive one bad batch; its leases expire on the coordinator's clock
            LOG.error("worker {}: reports of {} phases dropped", workerName, completions.size(), e);
            completions.forEach(c -> held.remove(c.phase()));
        }
    }

    private void deliver(Report report) throws InterruptedException {
        HeldLease phase = report.phase();
        for (int attempt = 1; ; attempt++) {
            if (phase.lost) {
                LOG.debug("worker {}: dropping {} of {}: lease lost", workerName, report.kind(), phase.key);
                return;
            }
            if (report instanceof Report.Checkpoint c && c.seq() < phase.checkpointSeq.get()) {
                return; // a newer cumulative checkpoint is queued behind this one
            }
            Connection.Session session = sessions.session();
            try {
                report.send(session.link());
                if (report instanceof Report.Completion c) {
                    held.remove(phase);
                    accepted(c);
                }
                return;
            } catch (StatusRuntimeException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException("interrupted while reporting");
                }
                switch (e.getStatus().getCode()) {
                    case FAILED_PRECONDITION -> {
                        LOG.warn("worker {}: {} of {} refused (stale lease): {}; dropped", workerName,
                                report.kind(), phase.key, Connection.describe(e));
                        held.lose(phase, "a report was refused as stale");
                        return;
                    }
                    case UNAVAILABLE, DEADLINE_EXCEEDED, CANCELLED -> {
                        if (e.getStatus().getCode() == Status.Code.CANCELLED && connection.isCurrent(session)) {
                            giveUp(report, e);
                            return;
                        }
                        connection.broken(session, e);
                        if (attempt >= attempts) {
                            giveUp(report, e);
                            return;
                        }
                        LOG.info("worker {}: {} of {} failed ({}); retrying after reconnecting (attempt {} of {})",
                                workerName, report.kind(), phase.key, Connection.describe(e), attempt + 1, attempts);
                    }
                    default -> {
                        giveUp(report, e);
                        return;
                    }
                }
            }
        }
    }

    /**
     * {@link #deliver} for several completions in one message: each result is handled as a single report's answer
     * would be; the reports that failed on the transport are sent again after reconnecting.
     */
    private void deliverAll(List<Report.Completion> batch) throws InterruptedException {
        List<Report.Completion> todo = new ArrayList<>(batch);
        for (int attempt = 1; ; attempt++) {
            todo.removeIf(c -> c.phase().lost);
            if (todo.isEmpty()) {
                return;
            }
            Connection.Session session = sessions.session();
            List<CompletePhaseResult> results;
            try {
                results = session.link().completeAll(todo.stream().map(Report.Completion::request).toList());
                if (results.size() != todo.size()) {
                    throw Status.INTERNAL.withDescription(results.size() + " answers to " + todo.size()
                            + " reports").asRuntimeException();
                }
            } catch (StatusRuntimeException e) {
                results = null;
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException("interrupted while reporting");
                }
                boolean retry = Connection.isTransient(e) || (e.getStatus().getCode() == Status.Code.CANCELLED
                        && !connection.isCurrent(session)); // as in deliver(): cancelled by a reconnect
                if (!retry) {
                    todo.forEach(c -> giveUp(c, e));
                    return;
                }
                connection.broken(session, e);
            }
            if (results != null) {
                List<Report.Completion> again = settle(todo, results);
                if (again.isEmpty()) {
                    return;
                }
                // a member that answered "unavailable" (leaving the cluster, say): go to another one
                connection.broken(session, Status.UNAVAILABLE
                        .withDescription("reports answered unavailable").asRuntimeException());
                todo = again;
            }
            if (attempt >= attempts) {
                StatusRuntimeException e = Status.UNAVAILABLE
                        .withDescription("no answer after " + attempt + " attempts").asRuntimeException();
                todo.forEach(c -> giveUp(c, e));
                return;
            }
        }
    }

    /** Acts on each answer of a batch; returns the reports to send again (answered with a transient error). */
    private List<Report.Completion> settle(List<Report.Completion> sent, List<CompletePhaseResult> results) {
        List<Report.Completion> again = new ArrayList<>();
        for (int k = 0; k < sent.size(); k++) {
            Report.Completion c = sent.get(k);
            CompletePhaseResult r = results.get(k);
            if (!r.hasError()) {
                held.remove(c.phase());
                accepted(c);
                continue;
            }
            StatusRuntimeException e = Status.fromCodeValue(r.getError().getCode())
                    .withDescription(r.getError().getMessage()).asRuntimeException();
            try (PhaseLogContext context = PhaseLogContext.open(c.phase().lease, workerName)) {
                if (e.getStatus().getCode() == Status.Code.FAILED_PRECONDITION) {
                    LOG.warn("worker {}: completion of {} refused (stale lease): {}; dropped", workerName,
                            c.phase().key, Connection.describe(e));
                    held.lose(c.phase(), "a report was refused as stale");
                } else if (Connection.isTransient(e)) {
                    again.add(c);
                } else {
                    giveUp(c, e);
                }
            }
        }
        return again;
    }

    /** Runs a completion's after-accepted action on its own thread: a git push must not hold up a report lane. */
    private void accepted(Report.Completion completion) {
        if (completion.onAccepted() == PhaseOutcome.NO_ACTION) {
            return;
        }
        Thread action = new Thread(() -> {
            try (PhaseLogContext context = PhaseLogContext.open(completion.phase().lease, workerName)) {
                completion.onAccepted().run();
            } catch (RuntimeException e) {
                LOG.error("worker {}: the action after {} was accepted failed", workerName, completion.phase().key,
                        e);
            }
        }, "phasegrid-agent-" + workerName + "-accepted");
        action.setDaemon(true);
        action.start();
    }

    private void giveUp(Report report, StatusRuntimeException e) {
        LOG.error("worker {}: {} of {} could not be delivered: {}; dropped", workerName, report.kind(),
                report.phase().key, Connection.describe(e));
        if (report instanceof Report.Completion) {
            held.remove(report.phase());
        }
    }
}
