package io.phasegrid.coordinator.run;

/** How an attempt ended, as the worker reports it. */
public enum Outcome {
    /** The phase's work is done. */
    SUCCEEDED,
    /** The executor failed: retried under the run's {@link RetryPolicy}. */
    FAILED,
    /** The worker stopped it (draining, run cancelled): back to READY, no attempt of the retry policy consumed. */
    ABANDONED,
    /** Git leases: merging the inputs conflicted. FAILED at once, not retried, charged zero tokens. */
    CONFLICT
}
