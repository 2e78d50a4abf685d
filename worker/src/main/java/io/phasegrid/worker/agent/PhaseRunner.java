package io.phasegrid.worker.agent;

import static io.phasegrid.worker.agent.AgentLog.LOG;

import io.phasegrid.proto.v1.Lease;
import io.phasegrid.proto.v1.Outcome;
import io.phasegrid.worker.executor.PhaseExecutor;
import io.phasegrid.worker.executor.PhaseOutcome;
import io.phasegrid.worker.executor.PhaseTask;
import io.phasegrid.worker.metrics.WorkerMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Executes leased phases on a fixed pool of one thread per slot: prepares the lease's workspace, runs the executor
 * with the held lease as its listener, and queues the completion (none for a lost lease). A started phase keeps the
 * slot the poller reserved for it and gives it back when its executor returns.
 */
final class PhaseRunner {

    /** How long to wait for executors to return after they were interrupted. */
    private static final long INTERRUPT_WAIT_MS = 10_000;

    private final WorkerOptions options;
    private final PhaseExecutor executor;
    private final WorkerMetrics metrics;
    private final Slots slots;
    private final HeldLeases held;
    private final ReportSender reports;
    private final Supplier<String> workerId;
    private final ThreadPoolExecutor pool;
    private volatile boolean draining;

    PhaseRunner(WorkerOptions options, PhaseExecutor executor, String threadPrefix, Slots slots, HeldLeases held,
            ReportSender reports, Supplier<String> workerId) {
        this.options = options;
        this.executor = executor;
        this.metrics = options.metrics();
        this.slots = slots;
        this.held = held;
        this.reports = reports;
        this.workerId = workerId;
        AtomicInteger slotNumber = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(slots.total(), slots.total(), 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), r -> new Thread(r, threadPrefix + "slot-" + slotNumber.incrementAndGet()));
    }

    private HeldLease hold(Lease lease) {
        return new HeldLease(lease, workerId.get(), held, reports::enqueue);
    }

    /** Starts a lease on a slot thread; the slot the poller reserved passes to the phase. False if not started. */
    boolean start(Lease lease) {
        HeldLease phase = hold(lease);
        if (!held.add(phase)) {
            LOG.warn("worker {}: lease {} received twice; ignoring the second", options.name(), phase.key);
            return false;
        }
        try {
            pool.execute(PhaseLogContext.wrap(lease, options.name(), () -> execute(phase)));
            return true;
        } catch (RejectedExecutionException e) {
            held.remove(phase);
            return false;
        }
    }

    /** Reports a lease the agent will not run as ABANDONED, so its phase returns to READY at once. */
    void handBack(Lease lease, String why) {
        HeldLease phase = hold(lease);
        LOG.warn("worker {}: handing back {} ({})", options.name(), phase.key, why);
        if (held.add(phase)) {
            phase.finished = true;
            reports.enqueue(new Report.Completion(phase, Outcome.OUTCOME_ABANDONED, 0, ""));
        }
    }

    /**
     * Lets the running phases finish within {@code graceMs}, then interrupts them (they are reported ABANDONED) and
     * waits for their executors to return. Phases started from now on are abandoned at once.
     */
    void drain(long graceMs) {
        draining = true;
        pool.shutdown();
        if (!awaitTermination(graceMs)) {
            if (slots.busy() > 0) {
                LOG.warn("worker {}: {} phase(s) still running after the drain grace; stopping them",
                        options.name(), slots.busy());
            }
            pool.shutdownNow();
            if (!awaitTermination(INTERRUPT_WAIT_MS)) {
                LOG.error("worker {}: an executor ignored the interrupt for {} ms", options.name(),
                        INTERRUPT_WAIT_MS);
            }
        }
    }

    /** Stops the pool of an agent that never started. */
    void stopNow() {
        pool.shutdownNow();
    }

    private void execute(HeldLease phase) {
        slots.executionStarted();
        long startedAt = System.nanoTime();
        PhaseOutcome outcome;
        try {
            outcome = run(phase);
        } finally {
            Thread.interrupted(); // an interrupt aimed at this phase must not hit the next one
            slots.executionEnded();
        }
        try {
            metrics.phaseExecuted(outcome.status(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt));
            if (phase.lost) {
                LOG.info("worker {}: {} stopped, lease no longer held; not reported", options.name(), phase.key);
                held.remove(phase);
            } else {
                LOG.info("worker {}: {} ended {} ({} tokens)", options.name(), phase.key, outcome.status(),
                        outcome.tokensUsed());
                phase.finished = true;
                reports.enqueue(new Report.Completion(phase, toProto(outcome.status()), outcome.tokensUsed(),
                        outcome.error(), outcome.resultCommit(), outcome.conflictPaths(), outcome.deliveryNote(),
                        outcome.onAccepted()));
            }
        } finally {
            slots.release(1);
        }
    }

    private PhaseOutcome run(HeldLease phase) {
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
            LOG.info("worker {}: starting {} ({} of {} plan(s) pending, attempt {})", options.name(), phase.key,
                    task.pendingPlans(), task.plans().size(), task.attempt());
            return executor.execute(task, phase);
        } catch (InterruptedException e) {
            return PhaseOutcome.abandoned(phase.tokensSoFar);
        } catch (RuntimeException | Error e) {
            LOG.error("worker {}: executor failed on {}", options.name(), phase.key, e);
            return PhaseOutcome.failed(phase.tokensSoFar, "executor error: " + e);
        }
    }

    private static Outcome toProto(PhaseOutcome.Status status) {
        return switch (status) {
            case SUCCEEDED -> Outcome.OUTCOME_SUCCEEDED;
            case FAILED -> Outcome.OUTCOME_FAILED;
            case ABANDONED -> Outcome.OUTCOME_ABANDONED;
            case CONFLICT -> Outcome.OUTCOME_CONFLICT;
        };
    }

    private boolean awaitTermination(long ms) {
        try {
            return pool.awaitTermination(ms, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
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
}
