package io.phasegrid.coordinator.service;

import io.phasegrid.coordinator.run.RunState;
import io.phasegrid.coordinator.submit.SubmissionRejected;
import java.util.List;
import java.util.Set;

/** The runs of the cluster: the domain behind {@code RunService}. Any coordinator member can serve every call. */
public interface RunCoordinator {

    /**
     * Starts a run, or returns the run of the same idempotency key.
     *
     * @throws SubmissionRejected for a roadmap that cannot run, over-size input or no roadmap
     */
    SubmitResult submit(Submission submission);

    /** @throws RunNotFoundException for an unknown id */
    RunView get(String runId);

    /** Newest first, without phases; empty {@code states} = all. */
    List<RunView> list(Set<RunState> states, int limit);

    /**
     * One page of runs, newest first by (created time, run id), without phases; empty {@code states} = all.
     *
     * @param pageSize 0 = 100, at most 1,000 (larger asks get 1,000)
     * @param pageToken empty for the first page, else the previous page's {@link RunPage#nextPageToken()}
     * @throws IllegalArgumentException for a negative size, or a token not made for this filter
     */
    RunPage page(Set<RunState> states, int pageSize, String pageToken);

    /** {@link #page(Set, int, String)} of the runs {@code owner} submitted only; null = every run. */
    RunPage page(Set<RunState> states, int pageSize, String pageToken, String owner);

    /** The principal that submitted the run. @throws RunNotFoundException for an unknown id */
    String owner(String runId);

    /**
     * The runs as {@code principal} may use them: its submissions are its own; with {@code seesEveryRun} false it
     * reads, follows and changes only the runs it submitted (the others answer {@link RunAccessDenied}, known or
     * not) and lists only those.
     */
    default RunCoordinator as(String principal, boolean seesEveryRun) {
        return new PrincipalRunCoordinator(this, principal, seesEveryRun);
    }

    /**
     * Follows a run: returns its snapshot and delivers every later event to {@code watch} until the run ends or
     * the returned handle is closed.
     *
     * @throws RunNotFoundException for an unknown id
     */
    WatchHandle watch(String runId, RunWatch watch);

    /** Cancels every phase not finished; a finished run is returned unchanged. @throws RunNotFoundException */
    RunView cancel(String runId);

    /**
     * Re-runs the failed, blocked and cancelled phases of a finished run.
     *
     * @throws RunNotFoundException for an unknown id
     * @throws IllegalStateException while the run is still active, or when it has nothing to retry (SUCCEEDED)
     */
    RunView retry(String runId);

    /**
     * As {@link #retry(String)} for a git run: each resolved phase (key -> commit) starts its next attempt at that
     * commit instead of merging its inputs.
     *
     * @throws IllegalArgumentException when a key names no FAILED phase of the run, or the run is not a git run
     */
    RunView retry(String runId, java.util.Map<String, String> resolutions);

    /**
     * Sets the run's own token budget (0 = none); a PAUSED run whose next phase the new budget carries resumes.
     *
     * @throws RunNotFoundException for an unknown id
     * @throws IllegalArgumentException for a negative budget
     */
    RunView setBudget(String runId, long budgetTokens);

    /** A started watch: its snapshot, and {@link #close()} to stop it. */
    interface WatchHandle extends AutoCloseable {

        RunView snapshot();

        /** Sequence of the snapshot; events delivered start after it. */
        long snapshotSequence();

        @Override
        void close();
    }
}
