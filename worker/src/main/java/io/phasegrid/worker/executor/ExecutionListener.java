package io.phasegrid.worker.executor;

/**
 * The worker agent's side of an execution: it receives progress and tells the executor whether to stop.
 * Called on the executing thread; implementations should not block for long (queue the {@code SaveCheckpoint}
 * rather than wait for its answer).
 */
public interface ExecutionListener {

    /** A listener that records nothing and never cancels. */
    ExecutionListener NONE = (planId, blob, tokensSoFar) -> { };

    /**
     * A plan finished in this attempt. The agent sends {@code SaveCheckpoint} with the plans completed so far
     * (those completed before this attempt plus every plan reported here), this blob and these tokens.
     *
     * @param planId the finished plan's id
     * @param blob the executor's opaque state to store in the checkpoint (never null, possibly empty); it comes
     *     back as {@link PhaseTask#checkpoint()} when the phase is leased again
     * @param tokensSoFar tokens used in this attempt so far (cumulative, plans skipped from the checkpoint count 0)
     */
    void planCompleted(String planId, byte[] blob, long tokensSoFar);

    /**
     * {@link #planCompleted(String, byte[], long)} for a git lease: {@code commit} holds the completed plans' work
     * and was already pushed to the lease's checkpoint ref ({@code SaveCheckpointRequest.commit}).
     */
    default void planCompleted(String planId, byte[] blob, long tokensSoFar, String commit) {
        planCompleted(planId, blob, tokensSoFar);
    }

    /**
     * Whether the agent wants the phase stopped (run cancelled, lease no longer held). Polled by the executor at
     * least every {@value PhaseExecutor#CANCEL_POLL_MS} ms; must be cheap and thread-safe.
     */
    default boolean cancelled() {
        return false;
    }
}
