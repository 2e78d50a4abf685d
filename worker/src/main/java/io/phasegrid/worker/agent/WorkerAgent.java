package io.phasegrid.worker.agent;

import static io.phasegrid.worker.agent.AgentLog.LOG;

import io.phasegrid.proto.v1.RegisterWorkerRequest;
import io.phasegrid.worker.executor.PhaseExecutor;
import io.phasegrid.worker.git.GitWorkspaceExecutor;
import io.phasegrid.worker.metrics.WorkerMetrics;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A PhaseGrid worker: registers with a coordinator, long-polls for leases with the slots it has reserved, runs each
 * leased phase with a {@link PhaseExecutor} (git leases in a worktree: {@link GitWorkspaceExecutor}, configured by
 * {@link WorkerOptions#git()}), heartbeats its leases, checkpoints after each plan and reports the
 * outcome. See {@code docs/worker.md}.
 *
 * <p>The agent wires its parts and owns their start and drain; each part has one role and one thread kind (all
 * named {@code phasegrid-agent-<name>-...}, all stopped by {@link #close()}):
 * <ul>
 *   <li>{@link LeasePoller} ({@code poller}): reserves {@link Slots}, polls, starts the leases it got;</li>
 *   <li>{@link Heartbeater} ({@code heartbeat}): renews the {@link HeldLeases}, stops lost and cancelled ones;</li>
 *   <li>{@link ReportSender} ({@code reporter-N}): delivers checkpoints and completions, in order per lease;</li>
 *   <li>{@link PhaseRunner} ({@code slot-N}): executes one phase per slot, with its {@link HeldLease} as the
 *       executor's listener.</li>
 * </ul>
 */
public final class WorkerAgent implements AutoCloseable {

    private final WorkerOptions options;
    private final Connection connection;
    private final WorkerMetrics metrics;
    private final String threadPrefix;
    private final Slots slots;
    private final ReportSender reports;
    private final PhaseRunner runner;
    private final LeasePoller leasePoller;
    private final Thread poller;
    private final Thread heartbeater;

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
        Objects.requireNonNull(executor, "executor");
        RegisterWorkerRequest registration = RegisterWorkerRequest.newBuilder()
                .setName(options.name())
                .setSlots(options.slots())
                .putAllLabels(options.labels())
                .build();
        this.metrics = options.metrics();
        this.connection = new Connection(options.coordinators(), Objects.requireNonNull(links, "links"),
                options.reconnectBackoff(), registration, metrics::reconnected);
        this.threadPrefix = "phasegrid-agent-" + options.name() + "-";
        this.slots = new Slots(options.slots());
        HeldLeases held = new HeldLeases(options.name());
        SessionSource sessions = this::session;
        this.reports = new ReportSender(options, threadPrefix, connection, sessions, held);
        this.runner = new PhaseRunner(options, new GitWorkspaceExecutor(executor, options.git(),
                options.workspaceRoot()), threadPrefix, slots, held, reports,
                () -> workerId().orElse(""));
        this.leasePoller = new LeasePoller(options, connection, sessions, slots, runner);
        this.poller = new Thread(leasePoller, threadPrefix + "poller");
        this.heartbeater = new Thread(new Heartbeater(options.name(), connection, sessions, held, slots),
                threadPrefix + "heartbeat");
    }

    /** Starts the agent's threads; connecting and registering happen in the background. Returns this agent. */
    public WorkerAgent start() {
        if (drainStarted.get()) {
            throw new IllegalStateException("the agent was closed");
        }
        if (started.compareAndSet(false, true)) {
            metrics.bindSlots(options.slots(), slots::busy);
            reports.start();
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
        return slots.busy();
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
            Threads.awaitUninterruptibly(stopped);
            return;
        }
        try {
            if (!started.get()) {
                runner.stopNow();
                return;
            }
            LOG.info("worker {} draining: no more polls, {} phase(s) running, grace {} ms", options.name(),
                    slots.busy(), grace.toMillis());
            long rpcTimeoutMs = options.rpcTimeout().toMillis();
            leasePoller.stopPolling();
            poller.interrupt();
            Threads.joinUninterruptibly(poller, rpcTimeoutMs);

            runner.drain(grace.toMillis());
            if (!reports.awaitDelivered(rpcTimeoutMs)) {
                LOG.warn("worker {}: {} report(s) not delivered before shutdown; their leases will expire",
                        options.name(), reports.pending());
            }
            heartbeater.interrupt();
            reports.stop(rpcTimeoutMs);
            Threads.joinUninterruptibly(heartbeater, rpcTimeoutMs);
        } finally {
            connection.close();
            stopped.countDown();
            LOG.info("worker {} stopped", options.name());
        }
    }

    private Connection.Session session() throws InterruptedException {
        Connection.Session s = connection.session();
        lastSession = s;
        return s;
    }
}
