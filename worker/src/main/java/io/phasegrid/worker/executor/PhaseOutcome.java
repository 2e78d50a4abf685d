package io.phasegrid.worker.executor;

import java.util.List;
import java.util.Objects;

/**
 * How an attempt ended, with the tokens it used (mapped by the agent onto {@code CompletePhaseRequest}).
 *
 * @param status the outcome
 * @param tokensUsed tokens this attempt used (plans skipped from the checkpoint are not counted)
 * @param error why it failed; empty unless {@code status} is {@link Status#FAILED} or {@link Status#CONFLICT}
 * @param resultCommit git leases that SUCCEEDED: the result commit (40 hex), already pushed to the checkpoint ref;
 *     empty otherwise
 * @param conflictPaths {@link Status#CONFLICT}: the conflicting paths, sorted (at least one); empty otherwise
 * @param deliveryNote integration leases: what delivery did beyond the result branch; usually empty
 * @param onAccepted run by the agent (off its report threads) once the coordinator accepted this outcome, e.g.
 *     pushing the result branch; never run for an outcome that was refused or not delivered
 */
public record PhaseOutcome(Status status, long tokensUsed, String error, String resultCommit,
        List<String> conflictPaths, String deliveryNote, Runnable onAccepted) {

    /** The {@code onAccepted} of an outcome that needs nothing done after it is accepted. */
    public static final Runnable NO_ACTION = () -> { };

    /** The outcomes of {@code phasegrid.v1.Outcome}. */
    public enum Status {
        /** Every plan ran and succeeded. */
        SUCCEEDED,
        /** A plan failed (non-zero exit, timeout, executor error); retried under the run's retry policy. */
        FAILED,
        /** Stopped on request ({@link ExecutionListener#cancelled()}) before it finished. */
        ABANDONED,
        /** Git leases: merging the inputs conflicted; not retried, charged nothing. */
        CONFLICT
    }

    public PhaseOutcome {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(resultCommit, "resultCommit");
        conflictPaths = List.copyOf(conflictPaths);
        Objects.requireNonNull(deliveryNote, "deliveryNote");
        onAccepted = onAccepted == null ? NO_ACTION : onAccepted;
        if (tokensUsed < 0) {
            throw new IllegalArgumentException("tokens used must not be negative: " + tokensUsed);
        }
        boolean failure = status == Status.FAILED || status == Status.CONFLICT;
        if (failure && error.isBlank()) {
            throw new IllegalArgumentException("a failure needs an error message");
        }
        if (!failure && !error.isEmpty()) {
            throw new IllegalArgumentException("only a failure carries an error message");
        }
        if ((status == Status.CONFLICT) == conflictPaths.isEmpty()) {
            throw new IllegalArgumentException("a conflict, and only a conflict, names its paths");
        }
        if (status != Status.SUCCEEDED && !resultCommit.isEmpty()) {
            throw new IllegalArgumentException("only a success carries a result commit");
        }
    }

    public PhaseOutcome(Status status, long tokensUsed, String error) {
        this(status, tokensUsed, error, "", List.of(), "", NO_ACTION);
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

    /** Merging the inputs conflicted in {@code paths}: zero tokens, error "conflict: a, b". */
    public static PhaseOutcome conflict(List<String> paths) {
        List<String> sorted = paths.stream().sorted().distinct().toList();
        return new PhaseOutcome(Status.CONFLICT, 0, "conflict: " + String.join(", ", sorted), "", sorted, "",
                NO_ACTION);
    }

    /** A git success with its result commit, delivery note and the action to run once it is accepted. */
    public static PhaseOutcome succeeded(long tokensUsed, String resultCommit, String deliveryNote,
            Runnable onAccepted) {
        return new PhaseOutcome(Status.SUCCEEDED, tokensUsed, "", resultCommit, List.of(), deliveryNote, onAccepted);
    }
}
