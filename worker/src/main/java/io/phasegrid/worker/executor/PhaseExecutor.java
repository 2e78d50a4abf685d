package io.phasegrid.worker.executor;

/**
 * Executes one leased phase: its pending plans in order, checkpointing after each.
 *
 * <p>The worker agent turns a {@code Lease} into a {@link PhaseTask}, calls {@link #execute} on one of its slot
 * threads, forwards every {@link ExecutionListener#planCompleted} as a {@code SaveCheckpoint} and reports the
 * returned {@link PhaseOutcome} with {@code CompletePhase}.
 *
 * <p>Contract for implementations:
 * <ul>
 *   <li>plans marked {@link PhaseTask.Plan#completed() completed} (from the checkpoint) are skipped;</li>
 *   <li>{@link ExecutionListener#planCompleted} is called once per plan finished in this attempt, in order, and
 *       never for a phase without plans (that phase is one unit of work, done or not);</li>
 *   <li>when {@link ExecutionListener#cancelled()} turns true the executor stops as soon as it notices (it
 *       polls at least every {@value #CANCEL_POLL_MS} ms), destroys every process it started and returns
 *       {@link PhaseOutcome#abandoned(long) ABANDONED};</li>
 *   <li>when the calling thread is interrupted (worker drain, shutdown) it destroys every process it started and
 *       throws {@link InterruptedException}; the tokens of the attempt are then those last reported through
 *       {@link ExecutionListener#planCompleted};</li>
 *   <li>no process started by the executor outlives {@code execute};</li>
 *   <li>an executor is shared by all of a worker's slots: {@code execute} is called concurrently and must be
 *       thread-safe.</li>
 * </ul>
 */
public interface PhaseExecutor {

    /** The longest an executor may go without checking {@link ExecutionListener#cancelled()}. */
    long CANCEL_POLL_MS = 100;

    /**
     * Runs the task's pending plans.
     *
     * @param task what to run
     * @param listener receives a checkpoint after each plan and tells whether to stop
     * @return how the attempt ended and the tokens it used
     * @throws InterruptedException when the calling thread was interrupted; every started process is destroyed
     *     before this is thrown
     */
    PhaseOutcome execute(PhaseTask task, ExecutionListener listener) throws InterruptedException;

    /**
     * Whether the agent must create {@link PhaseTask#workspace()} before {@link #execute}. An executor that writes
     * no files says no, and saves three directory creations per lease (most of a no-op phase's cost).
     */
    default boolean needsWorkspace() {
        return true;
    }
}
