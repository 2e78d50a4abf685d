package io.phasegrid.worker.executor;

import java.util.List;
import java.util.Objects;

/**
 * Pretends to execute a phase: sleeps the estimate &times; the time scale and charges the estimate. For dry runs,
 * demos, benchmarks and tests.
 *
 * <ul>
 *   <li>Each pending plan sleeps its {@linkplain PhaseTask#estimateShare(int) share of the estimate} &times; the
 *       time scale, is charged that share, and is checkpointed ({@link ExecutionListener#planCompleted}); the
 *       blob is the task's checkpoint, passed through unchanged. A phase without plans is one unit: the whole
 *       estimate, no checkpoint.</li>
 *   <li>Plans completed in an earlier attempt are skipped and cost nothing, so a fresh attempt charges exactly
 *       the estimate and a resumed one the shares of the plans it ran.</li>
 *   <li>A phase chosen to fail ({@link SimulateOptions#fails}) fails at once, before any plan, charging 0.</li>
 *   <li>Sleeps are sliced so that {@link ExecutionListener#cancelled()} is seen within
 *       {@value PhaseExecutor#CANCEL_POLL_MS} ms (then ABANDONED with the tokens of the plans finished) and an
 *       interrupt ends the sleep at once.</li>
 * </ul>
 */
public final class SimulateExecutor implements PhaseExecutor {

    private final SimulateOptions options;

    public SimulateExecutor(SimulateOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    public SimulateOptions options() {
        return options;
    }

    @Override
    public boolean needsWorkspace() {
        return false; // it only sleeps
    }

    @Override
    public PhaseOutcome execute(PhaseTask task, ExecutionListener listener) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (listener.cancelled()) {
            return PhaseOutcome.abandoned(0);
        }
        if (options.fails(task.phaseKey(), task.attempt())) {
            return PhaseOutcome.failed(0, "simulated failure of phase " + task.phaseKey()
                    + " (attempt " + task.attempt() + ")");
        }
        List<PhaseTask.Plan> plans = task.plans();
        if (plans.isEmpty()) {
            long tokens = task.estimateShare(0);
            if (!sleep(tokens, listener)) {
                return PhaseOutcome.abandoned(0);
            }
            return PhaseOutcome.succeeded(tokens);
        }
        byte[] blob = task.checkpoint();
        long used = 0;
        for (int i = 0; i < plans.size(); i++) {
            PhaseTask.Plan plan = plans.get(i);
            if (plan.completed()) {
                continue;
            }
            long share = task.estimateShare(i);
            if (!sleep(share, listener)) {
                return PhaseOutcome.abandoned(used);
            }
            used += share;
            listener.planCompleted(plan.id(), blob, used);
        }
        return PhaseOutcome.succeeded(used);
    }

    /** Sleeps for {@code tokens} at the time scale; false when cancelled first. */
    private boolean sleep(long tokens, ExecutionListener listener) throws InterruptedException {
        long nanos = (long) (tokens * options.timeScale() * 1_000.0); // ms per 1,000 tokens -> ns per token
        long deadline = System.nanoTime() + nanos;
        long slice = PhaseExecutor.CANCEL_POLL_MS * 1_000_000L;
        for (long left = nanos; left > 0; left = deadline - System.nanoTime()) {
            if (listener.cancelled()) {
                return false;
            }
            long step = Math.min(left, slice);
            Thread.sleep(step / 1_000_000L, (int) (step % 1_000_000L));
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        return !listener.cancelled();
    }
}
