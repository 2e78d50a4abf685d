package io.phasegrid.worker.executor;

import java.util.Objects;

/**
 * How an attempt ended, with the tokens it used (mapped by the agent onto {@code CompletePhaseRequest}).
 *
 * @param status the outcome
 * @param tokensUsed tokens this attempt used (plans skipped from the checkpoint are not counted)
 * @param error why it failed; empty unless {@code status} is {@link Status#FAILED}
 */
public record PhaseOutcome(Status status, long tokensUsed, String error) {

    /** The outcomes of {@code phasegrid.v1.Outcome}. */
    public enum Status {
        /** Every plan ran and succeeded. */
        SUCCEEDED,
        /** A plan failed (non-zero exit, timeout, executor error); retried under the run's retry policy. */
        FAILED,
        /** Stopped on request ({@link ExecutionListener#cancelled()}) before it finished. */
        ABANDONED
    }

    public PhaseOutcome {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(error, "error");
        if (tokensUsed < 0) {
            throw new IllegalArgumentException("tokens used must not be negative: " + tokensUsed);
        }
        if (status == Status.FAILED && error.isBlank()) {
            throw new IllegalArgumentException("a failure needs an error message");
        }
        if (status != Status.FAILED && !error.isEmpty()) {
            throw new IllegalArgumentException("only a failure carries an error message");
        }
    }

    public static PhaseOutcome succeeded(long tokensUsed) {
        return new PhaseOutcome(Status.SUCCEEDED, tokensUsed, "");
    }

    public static PhaseOutcome failed(long tokensUsed, String error) {
        return new PhaseOutcome(Status.FAILED, tokensUsed, error);
    }

    public static PhaseOutcome abandoned(long tokensUsed) {
        return new PhaseOutcome(Status.ABANDONED, tokensUsed, "");
    }
}
