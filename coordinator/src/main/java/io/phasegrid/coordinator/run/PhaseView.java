package io.phasegrid.coordinator.run;

import java.util.List;

/**
 * A phase of a run as status shows it (a copy; later transitions do not change it).
 *
 * @param index index in the blueprint (roadmap order)
 * @param attempts leases started (execution retries and worker-lost requeues both start one)
 * @param failures execution failures since the last {@link RunRecord#retry}, the count the retry policy limits
 * @param requeues leases that expired (worker lost)
 * @param epoch epoch of the latest lease, 0 before the first
 * @param worker worker of the latest attempt, empty before the first lease
 * @param startedAtMs when the latest attempt was leased, 0 before
 * @param finishedAtMs when the phase reached a final state, 0 before
 * @param tokens tokens charged, summed over its attempts
 * @param reason why it failed, was blocked or requeued last; empty otherwise
 * @param notBeforeMs earliest time of the next lease after a failure (backoff), 0 when none
 * @param dependsOn declared and inferred dependencies
 * @param inferredDependsOn the keys of {@code dependsOn} the analysis inferred
 * @param resultCommit git runs: the commit the phase SUCCEEDED with; empty otherwise
 * @param conflictPaths git runs: the paths of the merge conflict it failed with (at most 100, sorted)
 * @param deliveryNote git runs, the integration step: what delivery did beyond the result branch
 */
public record PhaseView(
        int index,
        String key,
        String name,
        PhaseState state,
        int attempts,
        int failures,
        int requeues,
        long epoch,
        String worker,
        long startedAtMs,
        long finishedAtMs,
        long tokens,
        String reason,
        long notBeforeMs,
        long estimatedTokens,
        List<String> dependsOn,
        List<String> inferredDependsOn,
        String resultCommit,
        List<String> conflictPaths,
        String deliveryNote) implements java.io.Serializable {

    public PhaseView {
        resultCommit = resultCommit == null ? "" : resultCommit;
        conflictPaths = conflictPaths == null ? List.of() : List.copyOf(conflictPaths);
        deliveryNote = deliveryNote == null ? "" : deliveryNote;
    }
}
