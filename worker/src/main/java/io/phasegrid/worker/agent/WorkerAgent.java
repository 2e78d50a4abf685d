package io.phasegrid.worker.agent;

import io.grpc.StatusRuntimeException;
import io.phasegrid.proto.v1.CompletePhaseRequest;
import io.phasegrid.proto.v1.CompletePhaseResult;
import io.phasegrid.proto.v1.HeartbeatRequest;
import io.phasegrid.proto.v1.HeartbeatResponse;
import io.phasegrid.proto.v1.Lease;
import io.phasegrid.proto.v1.LeaseRef;
import io.phasegrid.proto.v1.LeaseStatus;
import io.phasegrid.proto.v1.LeasedPlan;
import io.phasegrid.proto.v1.Outcome;
import io.phasegrid.proto.v1.PollLeaseRequest;
import io.phasegrid.proto.v1.PollLeaseResponse;
import io.phasegrid.proto.v1.RegisterWorkerRequest;
import io.phasegrid.proto.v1.SaveCheckpointRequest;
import io.phasegrid.worker.executor.ExecutionListener;
import io.phasegrid.worker.executor.PhaseExecutor;
import io.phasegrid.worker.executor.PhaseOutcome;
import io.phasegrid.worker.executor.PhaseTask;
import io.phasegrid.worker.metrics.WorkerMetrics;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PhaseGrid worker: registers with a coordinator, long-polls for leases with the slots it has reserved, runs each
 * leased phase with a {@link PhaseExecutor}, heartbeats its leases, checkpoints after each plan and reports the
 * outcome. See {@code docs/worker.md}.
 *
 * <p>Threads (all named {@code phasegrid-agent-<name>-...}, all stopped by {@link #close()}):
 * <ul>
 *   <li>{@code poller}: reserves free slots (never fewer than one), polls, starts the leases it got, gives the
 *       unused slots back;</li>
 *   <li>{@code heartbeat}: every heartbeat interval renews the held leases and stops the phases whose lease is lost
 *       (no report) or whose run was cancelled (reported ABANDONED);</li>
 *   <li>{@code reporter-N}: send checkpoints and completions, each lease's in order on one lane (up to
 *       {@value #MAX_REPORT_LANES} lanes, so one round trip does not hold back other leases' reports), retrying
 *       them on a new connection after a transport failure, dropping them on a stale-epoch refusal;</li>
 *   <li>{@code slot-N}: one per slot, each executing one phase at a time.</li>
 * </ul>
 */
public final class WorkerAgent implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WorkerAgent.class);

    /** How long to wait for executors to return after they were interrupted. */
    private static final long INTERRUPT_WAIT_MS = 10_000;

    private final WorkerOptions options;
    private final PhaseExecutor executor;
    private final Connection connection;
    private final WorkerMetrics metrics;
    private final String threadPrefix;

    private final Semaphore freeSlots;
    private final AtomicInteger busy = new AtomicInteger();
    /** Leases the agent holds: executing, or executed with the completion not yet delivered. */
    private final Map<LeaseKey, Held> held = new ConcurrentHashMap<>();
    private final Object reportsMonitor = new Object();
    private int pendingReports; // guarded by reportsMonitor

    private final ThreadPoolExecutor slotPool;
    private final Thread poller;
    private final Thread heartbeater;
    /** Lease TTL less one heartbeat interval, from the current session; no fencing before the first one. */
    private volatile long fenceAfterNanos = Long.MAX_VALUE;
    static final int MAX_REPORT_LANES = 8;
    /** Most completions sent in one message. */
    static final int MAX_REPORT_BATCH = 64;
    /** Report lanes: a lease's reports always go to one lane (in order); leases of other lanes go in parallel. */
    private final List<BlockingQueue<Report>> reportLanes = new ArrayList<>();
    private final List<Thread> reporters = new ArrayList<>();

    private volatile boolean polling = true;
    private volatile boolean draining;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean drainStarted = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile Connection.Session lastSession;

    /** An agent that talks gRPC to the coordinators of the options, over one {@code Connect} stream per member. */
    public WorkerAgent(WorkerOptions options, PhaseExecutor executor) {
        this(options, executor, StreamCoordinatorLink.factory(options.rpcTimeout()));
    }

    /** An agent whose connections come from {@code links} (another transport, a test double). */
    public WorkerAgent(WorkerOptions options, PhaseExecutor executor, CoordinatorLink.Factory links) {
        this.options = Objects.requireNonNull(options, "options");
        this.executor = Objects.requireNonNull(executor, "executor");
        RegisterWorkerRequest registration = RegisterWorkerRequest.newBuilder()
                .setName(options.name())
                .setSlots(options.slots())
                .putAllLabels(options.labels())
                .build();
        this.metrics = options.metrics();
        this.connection = new Connection(options.coordinators(), Objects.requireNonNull(links, "links"),
                options.reconnectBackoff(), registration, metrics::reconnected);
        this.threadPrefix = "phasegrid-agent-" + options.name() + "-";
        this.freeSlots = new Semaphore(options.slots());
        AtomicInteger slotNumber = new AtomicInteger();
        this.slotPool = new ThreadPoolExecutor(options.slots(), options.slots(), 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(),
                r -> new Thread(r, threadPrefix + "slot-" + slotNumber.incrementAndGet()));
        this.poller = new Thread(this::pollLoop, threadPrefix + "poller");
        this.heartbeater = new Thread(this::heartbeatLoop, threadPrefix + "heartbeat");
        int lanes = Math.max(1, Math.min(MAX_REPORT_LANES, options.slots()));
        for (int i = 0; i < lanes; i++) {
            BlockingQueue<Report> lane = new LinkedBlockingQueue<>();
            reportLanes.add(lane);
            reporters.add(new Thread(() -> reportLoop(lane), threadPrefix + "reporter-" + i));
        }
    }

    /** Starts the agent's threads; connecting and registering happen in the background. Returns this agent. */
    public WorkerAgent start() {
        if (drainStarted.get()) {
            throw new IllegalStateException("the agent was closed");
        }
        if (started.compareAndSet(false, true)) {
            metrics.bindSlots(options.slots(), busy::get);
            reporters.forEach(Thread::start);
            heartbeater.start();
            poller.start();
        }
        return this;
    }

    public WorkerOptions options() {
        return options;
    }

    /** The worker id the coordinator gave, once registered. */
    public Optional<String> workerId() {
        Connection.Session s = lastSession;
        return s == null ? Optional.empty() : Optional.of(s.workerId());
    }

    /** The prefix of the names of every thread this agent starts. */
    public String threadNamePrefix() {
        return threadPrefix;
    }

    /** Phases executing now. */
    public int busySlots() {
        return busy.get();
    }

    /** Whether the agent has a registered session with a coordinator now (its readiness). */
    public boolean connected() {
        return connection.connected();
    }

    /** Closes the agent: {@link #drain(Duration)} with the options' drain grace. */
    @Override
    public void close() {
        drain(options.drainGrace());
    }

    /**
     * Stops the agent the SIGTERM way: stops polling at once, lets running phases finish within {@code grace},
     * interrupts the others (they are reported ABANDONED, so their phases return to READY without waiting for the
     * lease to expire), delivers the last reports (for at most the RPC timeout), then stops every thread and the
     * connection. A second call waits for the first to finish.
     */
    public void drain(Duration grace) {
        Objects.requireNonNull(grace, "grace");
        if (!drainStarted.compareAndSet(false, true)) {
            awaitUninterruptibly(stopped);
            return;
        }
        try {
            if (!started.get()) {
                slotPool.shutdownNow();
                return;
            }
            log.info("worker {} draining: no more polls, {} phase(s) running, grace {} ms", options.name(),
                    busy.get(), grace.toMillis());
            polling = false;
            poller.interrupt();
            joinUninterruptibly(poller, options.rpcTimeout().toMillis());

            draining = true;
            slotPool.shutdown();
            if (!awaitTermination(grace.toMillis())) {
                if (busy.get() > 0) {
                    log.warn("worker {}: {} phase(s) still running after the drain grace; stopping them",
                            options.name(), busy.get());
                }
                slotPool.shutdownNow();
                if (!awaitTermination(INTERRUPT_WAIT_MS)) {
                    log.error("worker {}: an executor ignored the interrupt for {} ms", options.name(),
                            INTERRUPT_WAIT_MS);
                }
            }
            if (!awaitReportsDelivered(options.rpcTimeout().toMillis())) {
                log.warn("worker {}: {} report(s) not delivered before shutdown; their leases will expire",
                        options.name(), pendingReports());
            }
            reporters.forEach(Thread::interrupt);
            heartbeater.interrupt();
            reporters.forEach(r -> joinUninterruptibly(r, options.rpcTimeout().toMillis()));
            joinUninterruptibly(heartbeater, options.rpcTimeout().toMillis());
        } finally {
            connection.close();
            stopped.countDown();
            log.info("worker {} stopped", options.name());
        }
    }

    // ---------------------------------------------------------------------------------------------- poller

    private void pollLoop() {
        int failures = 0;
        while (polling) {
            int reserved;
            try {
                freeSlots.acquire();
            } catch (InterruptedException e) {
                return;
            }
            reserved = 1 + freeSlots.drainPermits();
            int unused = reserved;
            try {
                if (!polling) {
                    return;
                }
                Connection.Session session = session();
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
                        long delay = options.reconnectBackoff().delayMillis(failures,
                                java.util.concurrent.ThreadLocalRandom.current());
                        log.warn("worker {}: poll refused by {}: {}; polling again in {} ms", options.name(),
                                session.link().address(), Connection.describe(e), delay);
                        Thread.sleep(delay);
                    }
                    continue;
                }
                for (Lease lease : answer.getLeasesList()) {
                    try (PhaseLogContext context = PhaseLogContext.open(lease, options.name())) {
                        if (unused > 0 && polling && start(lease)) {
                            unused--;
                        } else {
                            handBack(lease, unused > 0 ? "the worker is draining"
                                    : "more leases than the " + reserved + " slot(s) polled for");
                        }
                    }
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                freeSlots.release(unused);
            }
        }
    }

    private Connection.Session session() throws InterruptedException {
        Connection.Session s = connection.session();
        lastSession = s;
        return s;
    }

    /** Starts a lease on a slot thread; the slot the poller reserved passes to the phase. */
    private boolean start(Lease lease) {
        Held phase = new Held(lease);
        Held previous = held.putIfAbsent(phase.key, phase);
        if (previous != null) {
            log.warn("worker {}: lease {} received twice; ignoring the second", options.name(), phase.key);
            return false;
        }
        try {
            slotPool.execute(PhaseLogContext.wrap(lease, options.name(), () -> execute(phase)));
            return true;
        } catch (RejectedExecutionException e) {
            held.remove(phase.key);
            return false;
        }
    }

    /** Reports a lease the agent will not run as ABANDONED, so its phase returns to READY at once. */
    private void handBack(Lease lease, String why) {
        Held phase = new Held(lease);
        log.warn("worker {}: handing back {} ({})", options.name(), phase.key, why);
        if (held.putIfAbsent(phase.key, phase) == null) {
            phase.finished = true;
            enqueue(new Completion(phase, Outcome.OUTCOME_ABANDONED, 0, ""));
        }
    }

    // ---------------------------------------------------------------------------------------------- slots

    private void execute(Held phase) {
        busy.incrementAndGet();
        long startedAt = System.nanoTime();
        PhaseOutcome outcome;
        try {
            phase.thread = Thread.currentThread();
            outcome = run(phase);
        } finally {
            phase.thread = null;
            Thread.interrupted(); // an interrupt aimed at this phase must not hit the next one
            busy.decrementAndGet();
        }
        try {
            metrics.phaseExecuted(outcome.status(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt));
            if (phase.lost) {
                log.info("worker {}: {} stopped, lease no longer held; not reported", options.name(), phase.key);
                held.remove(phase.key);
            } else {
                log.info("worker {}: {} ended {} ({} tokens)", options.name(), phase.key, outcome.status(),
                        outcome.tokensUsed());
                phase.finished = true;
                enqueue(new Completion(phase, toProto(outcome.status()), outcome.tokensUsed(), outcome.error()));
            }
        } finally {
            freeSlots.release();
        }
    }

    private PhaseOutcome run(Held phase) {
        if (phase.lost) {
            return PhaseOutcome.abandoned(0);
        }
        if (draining && Thread.currentThread().isInterrupted()) {
            return PhaseOutcome.abandoned(0);
        }
        // one folder per lease epoch: a stale attempt elsewhere on this host never shares files with the current one
        Path workspace = options.workspaceRoot()
                .resolve(safeName(phase.lease.getRunId()))
                .resolve(safeName(phase.lease.getPhaseKey()))
                .resolve("e" + phase.lease.getEpoch());
        if (executor.needsWorkspace()) {
            try {
                Files.createDirectories(workspace);
            } catch (IOException | RuntimeException e) {
                return PhaseOutcome.failed(0, "cannot create workspace " + workspace + ": " + e);
            }
        }
        try {
            PhaseTask task = PhaseTask.fromLease(phase.lease, workspace);
            log.info("worker {}: starting {} ({} of {} plan(s) pending, attempt {})", options.name(), phase.key,
                    task.pendingPlans(), task.plans().size(), task.attempt());
            return executor.execute(task, phase);
        } catch (InterruptedException e) {
            return PhaseOutcome.abandoned(phase.tokensSoFar);
        } catch (RuntimeException | Error e) {
            log.error("worker {}: executor failed on {}", options.name(), phase.key, e);
            return PhaseOutcome.failed(phase.tokensSoFar, "executor error: " + e);
        }
    }

    private static Outcome toProto(PhaseOutcome.Status status) {
        return switch (status) {
            case SUCCEEDED -> Outcome.OUTCOME_SUCCEEDED;
            case FAILED -> Outcome.OUTCOME_FAILED;
            case ABANDONED -> Outcome.OUTCOME_ABANDONED;
        };
    }

    /** A path element of {@code A-Z a-z 0-9 . _ -} only (others become {@code _}), never {@code .} or {@code ..}. */
    static String safeName(String s) {
        if (s.isEmpty()) {
            return "_";
        }
        char[] out = null;
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            boolean safe = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!safe || (k == 0 && c == '.')) {
                if (out == null) {
                    out = s.toCharArray();
                }
                out[k] = '_';
            }
        }
        return out == null ? s : new String(out);
    }

    // ---------------------------------------------------------------------------------------------- heartbeat

    private void heartbeatLoop() {
        try {
            boolean lastFailed = false;
            while (true) {
                Connection.Session session = session();
                fenceAfterNanos = TimeUnit.MILLISECONDS.toNanos(
                        Math.max(1, session.leaseTtlMs() - session.heartbeatIntervalMs()));
                // after a failure, try again sooner: two missed intervals could otherwise cost the leases
                Thread.sleep(lastFailed ? Math.max(1, session.heartbeatIntervalMs() / 4) : session.heartbeatIntervalMs());
                session = session();
                List<Held> leases = new ArrayList<>(held.values());
                HeartbeatRequest.Builder request = HeartbeatRequest.newBuilder()
                        .setWorkerId(session.workerId())
                        .setSlots(options.slots())
                        .setBusySlots(busy.get());
                leases.forEach(h -> request.addLeases(h.ref));
                long sentAt = System.nanoTime();
                HeartbeatResponse answer;
                try {
                    answer = session.link().heartbeat(request.build());
                    lastFailed = false;
                } catch (StatusRuntimeException e) {
                    if (Thread.currentThread().isInterrupted()) {
                        return;
                    }
                    lastFailed = true;
                    if (Connection.isTransient(e) || !connection.isCurrent(session)) {
                        connection.broken(session, e);
                    } else {
                        log.warn("worker {}: heartbeat refused by {}: {}", options.name(),
                                session.link().address(), Connection.describe(e));
                    }
                    continue;
                }
                for (LeaseStatus status : answer.getLeasesList()) {
                    Held phase = held.get(LeaseKey.of(status.getLease()));
                    if (phase == null) {
                        continue;
                    }
                    try (PhaseLogContext context = PhaseLogContext.open(phase.lease, options.name())) {
                        if (!status.getHeld()) {
                            lose(phase, "the coordinator no longer holds it for this worker");
                        } else {
                            phase.renewedAtNanos = Math.max(phase.renewedAtNanos, sentAt);
                            if (status.getCancelled() && !phase.cancelled) {
                                phase.cancelled = true;
                                log.info("worker {}: run of {} cancelled; stopping the phase", options.name(),
                                        phase.key);
                            }
                        }
                    }
                }
            }
        } catch (InterruptedException e) {
            // stopped by drain
        }
    }

    /** The lease is gone: stop the phase, report nothing about it. */
    private void lose(Held phase, String why) {
        if (!phase.lost) {
            phase.lost = true;
            held.remove(phase.key, phase);
            log.warn("worker {}: lease {} lost ({}); stopping the phase without a report", options.name(),
                    phase.key, why);
        }
    }

    // ---------------------------------------------------------------------------------------------- reports

    private void enqueue(Report report) {
        synchronized (reportsMonitor) {
            pendingReports++;
        }
        reportLanes.get(Math.floorMod(report.phase().key.hashCode(), reportLanes.size())).add(report);
    }

    private int pendingReports() {
        synchronized (reportsMonitor) {
            return pendingReports;
        }
    }

    private boolean awaitReportsDelivered(long timeoutMs) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        synchronized (reportsMonitor) {
            try {
                while (pendingReports > 0) {
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (left <= 0) {
                        return false;
                    }
                    reportsMonitor.wait(left);
                }
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    private void reportLoop(BlockingQueue<Report> lane) {
        try {
            while (true) {
                Report report = lane.take();
                List<Completion> completions = new ArrayList<>();
                if (report instanceof Completion first) {
                    // what finished while the previous report was in flight goes in one message (a lease's reports
                    // stay in order: a completion is a lease's last report, and a checkpoint stops the batch)
                    completions.add(first);
                    while (completions.size() < MAX_REPORT_BATCH && lane.peek() instanceof Completion next) {
                        lane.poll();
                        completions.add(next);
                    }
                }
                try {
                    if (completions.size() > 1) {
                        try {
                            deliverAll(completions);
                        } catch (RuntimeException e) {
                            // a lane must outlive one bad batch; its leases expire on the coordinator's clock
                            log.error("worker {}: reports of {} phases dropped", options.name(), completions.size(),
                                    e);
                            completions.forEach(c -> held.remove(c.phase().key, c.phase()));
                        }
                    } else {
                        try (PhaseLogContext context = PhaseLogContext.open(report.phase().lease, options.name())) {
                            deliver(report);
                        }
                    }
                } finally {
                    synchronized (reportsMonitor) {
                        pendingReports -= Math.max(1, completions.size());
                        reportsMonitor.notifyAll();
                    }
                }
            }
        } catch (InterruptedException e) {
            // stopped by drain
        }
    }

    private void deliver(Report report) throws InterruptedException {
        Held phase = report.phase();
        for (int attempt = 1; ; attempt++) {
            if (phase.lost) {
                log.debug("worker {}: dropping {} of {}: lease lost", options.name(), report.kind(), phase.key);
                return;
            }
            if (report instanceof Checkpoint c && c.seq < phase.checkpointSeq.get()) {
                return; // a newer cumulative checkpoint is queued behind this one
            }
            Connection.Session session = session();
            try {
                report.send(session.link());
                if (report instanceof Completion) {
                    held.remove(phase.key, phase);
                }
                return;
            } catch (StatusRuntimeException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException("interrupted while reporting");
                }
                switch (e.getStatus().getCode()) {
                    case FAILED_PRECONDITION -> {
                        log.warn("worker {}: {} of {} refused (stale lease): {}; dropped", options.name(),
                                report.kind(), phase.key, Connection.describe(e));
                        lose(phase, "a report was refused as stale");
                        return;
                    }
                    case UNAVAILABLE, DEADLINE_EXCEEDED, CANCELLED -> {
                        if (e.getStatus().getCode() == io.grpc.Status.Code.CANCELLED
                                && connection.isCurrent(session)) {
                            giveUp(report, e);
                            return;
                        }
                        connection.broken(session, e);
                        if (attempt >= options.reportAttempts()) {
                            giveUp(report, e);
                            return;
                        }
                        log.info("worker {}: {} of {} failed ({}); retrying after reconnecting (attempt {} of {})",
                                options.name(), report.kind(), phase.key, Connection.describe(e), attempt + 1,
                                options.reportAttempts());
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
    private void deliverAll(List<Completion> batch) throws InterruptedException {
        List<Completion> todo = new ArrayList<>(batch);
        for (int attempt = 1; ; attempt++) {
            todo.removeIf(c -> c.phase().lost);
            if (todo.isEmpty()) {
                return;
            }
            Connection.Session session = session();
            List<CompletePhaseResult> results;
            try {
                results = session.link().completeAll(todo.stream().map(Completion::request).toList());
                if (results.size() != todo.size()) {
                    throw io.grpc.Status.INTERNAL.withDescription(results.size() + " answers to " + todo.size()
                            + " reports").asRuntimeException();
                }
            } catch (StatusRuntimeException e) {
                results = null;
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException("interrupted while reporting");
                }
                boolean retry = Connection.isTransient(e) || (e.getStatus().getCode() == io.grpc.Status.Code.CANCELLED
                        && !connection.isCurrent(session)); // as in deliver(): cancelled by a reconnect
                if (!retry) {
                    todo.forEach(c -> giveUp(c, e));
                    return;
                }
                connection.broken(session, e);
            }
            List<Completion> again = new ArrayList<>();
            for (int k = 0; results != null && k < todo.size(); k++) {
                Completion c = todo.get(k);
                CompletePhaseResult r = results.get(k);
                if (!r.hasError()) {
                    held.remove(c.phase().key, c.phase());
                    continue;
                }
                StatusRuntimeException e = io.grpc.Status.fromCodeValue(r.getError().getCode())
                        .withDescription(r.getError().getMessage()).asRuntimeException();
                try (PhaseLogContext context = PhaseLogContext.open(c.phase().lease, options.name())) {
                    if (e.getStatus().getCode() == io.grpc.Status.Code.FAILED_PRECONDITION) {
                        log.warn("worker {}: completion of {} refused (stale lease): {}; dropped", options.name(),
                                c.phase().key, Connection.describe(e));
                        lose(c.phase(), "a report was refused as stale");
                    } else if (Connection.isTransient(e)) {
                        again.add(c);
                    } else {
                        giveUp(c, e);
                    }
                }
            }
            if (results != null) {
                if (again.isEmpty()) {
                    return;
                }
                // a member that answered "unavailable" (leaving the cluster, say): go to another one
                connection.broken(session, io.grpc.Status.UNAVAILABLE
                        .withDescription("reports answered unavailable").asRuntimeException());
                todo = again;
            }
            if (attempt >= options.reportAttempts()) {
                StatusRuntimeException e = io.grpc.Status.UNAVAILABLE
                        .withDescription("no answer after " + attempt + " attempts").asRuntimeException();
                todo.forEach(c -> giveUp(c, e));
                return;
            }
        }
    }

    private void giveUp(Report report, StatusRuntimeException e) {
        log.error("worker {}: {} of {} could not be delivered: {}; dropped", options.name(), report.kind(),
                report.phase().key, Connection.describe(e));
        if (report instanceof Completion) {
            held.remove(report.phase().key, report.phase());
        }
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private boolean awaitTermination(long ms) {
        try {
            return slotPool.awaitTermination(ms, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void joinUninterruptibly(Thread t, long ms) {
        boolean interrupted = false;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        while (t.isAlive()) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                log.error("thread {} did not stop within {} ms", t.getName(), ms);
                break;
            }
            try {
                t.join(left);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Identifies a lease: run, phase and epoch. */
    record LeaseKey(String runId, String phaseKey, long epoch) {
        static LeaseKey of(LeaseRef ref) {
            return new LeaseKey(ref.getRunId(), ref.getPhaseKey(), ref.getEpoch());
        }

        @Override
        public String toString() {
            return "run " + runId + " phase " + phaseKey + " epoch " + epoch;
        }
    }

    /** A lease the agent holds, and the listener of its execution. */
    private final class Held implements ExecutionListener {
        final Lease lease;
        final LeaseRef ref;
        final LeaseKey key;
        final List<String> completedPlans = new ArrayList<>(); // guarded by this
        final AtomicLong checkpointSeq = new AtomicLong();
        volatile long tokensSoFar;
        volatile boolean lost;
        volatile boolean cancelled;
        /** The executor returned (or the lease is handed back): only the report is left. */
        volatile boolean finished;
        /** When the last renewal that the coordinator confirmed was sent (System.nanoTime). */
        volatile long renewedAtNanos = System.nanoTime();
        volatile Thread thread;

        Held(Lease lease) {
            this.lease = lease;
            this.ref = LeaseRef.newBuilder()
                    .setRunId(lease.getRunId())
                    .setPhaseKey(lease.getPhaseKey())
                    .setEpoch(lease.getEpoch())
                    .setWorkerId(workerId().orElse(""))
                    .build();
            this.key = LeaseKey.of(ref);
            for (LeasedPlan plan : lease.getPlansList()) {
                if (plan.getCompleted()) {
                    completedPlans.add(plan.getId());
                }
            }
        }

        @Override
        public void planCompleted(String planId, byte[] blob, long tokens) {
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
            enqueue(new Checkpoint(this, checkpointSeq.incrementAndGet(), plans, blob, tokens));
        }

        /**
         * Also self-fencing: a lease not renewed for a TTL less one heartbeat interval (measured from when the last
         * confirmed renewal was sent, on this machine's monotonic clock) may be another worker's by now, for example
         * while the coordinator is unreachable. The phase is stopped without a report, so two workers never keep
         * running one phase. A finished phase's report is still delivered: the coordinator's epoch check decides.
         */
        @Override
        public boolean cancelled() {
            if (!lost && !finished && System.nanoTime() - renewedAtNanos > fenceAfterNanos) {
                lose(this, "not renewed within its TTL");
            }
            return lost || cancelled;
        }
    }

    private sealed interface Report permits Checkpoint, Completion {
        Held phase();

        String kind();

        void send(CoordinatorLink link);
    }

    private record Checkpoint(Held phase, long seq, List<String> plans, byte[] blob, long tokens)
            implements Report {
        @Override
        public String kind() {
            return "checkpoint";
        }

        @Override
        public void send(CoordinatorLink link) {
            link.checkpoint(SaveCheckpointRequest.newBuilder()
                    .setLease(phase.ref)
                    .addAllCompletedPlans(plans)
                    .setBlob(ByteString.copyFrom(blob))
                    .setTokensSoFar(ReportLimits.tokens(tokens))
                    .build());
        }
    }

    private record Completion(Held phase, Outcome outcome, long tokens, String error) implements Report {
        @Override
        public String kind() {
            return "completion";
        }

        @Override
        public void send(CoordinatorLink link) {
            link.complete(request());
        }

        CompletePhaseRequest request() {
            return CompletePhaseRequest.newBuilder()
                    .setLease(phase.ref)
                    .setOutcome(outcome)
                    .setTokensUsed(ReportLimits.tokens(tokens))
                    .setError(error)
                    .build();
        }
    }
}
