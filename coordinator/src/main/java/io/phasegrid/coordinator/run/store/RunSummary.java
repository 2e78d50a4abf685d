package io.phasegrid.coordinator.run.store;

import io.phasegrid.coordinator.run.GitRun;
import io.phasegrid.coordinator.run.PhaseView;
import io.phasegrid.coordinator.run.RunRecord;
import io.phasegrid.coordinator.run.RunSettings;
import io.phasegrid.coordinator.run.RunState;
import java.io.Serializable;
import java.util.List;

/**
 * A run read in one read-only processor call: its status and the sequence of its newest event, so a watcher can
 * follow from exactly this point.
 *
 * @param phases empty unless asked for, except that a git run's always end with its integration step (a listing
 *     shows the run's result commit)
 * @param readyCount phases READY now
 * @param oldestReadyAtMs when the oldest of them became READY ({@code Long.MAX_VALUE} when none)
 * @param git the git side of a git run, null for a plain run (its integration step is the last of {@code phases})
 */
public record RunSummary(String runId, String name, RunState state, String pauseReason, long createdAtMs,
        long startedAtMs, long finishedAtMs, List<PhaseView> phases, long tokensReserved, long tokensUsed,
        int runningCount, int maxParallelism, int fallbacks, boolean sequentialFallback, RunSettings settings,
        long lastSequence, int readyCount, long oldestReadyAtMs, GitRun git) implements Serializable {

    public RunSummary(String runId, String name, RunState state, String pauseReason, long createdAtMs,
            long startedAtMs, long finishedAtMs, List<PhaseView> phases, long tokensReserved, long tokensUsed,
            int runningCount, int maxParallelism, int fallbacks, boolean sequentialFallback, RunSettings settings,
            long lastSequence, int readyCount, long oldestReadyAtMs) {
        this(runId, name, state, pauseReason, createdAtMs, startedAtMs, finishedAtMs, phases, tokensReserved,
                tokensUsed, runningCount, maxParallelism, fallbacks, sequentialFallback, settings, lastSequence,
                readyCount, oldestReadyAtMs, null);
    }

    public static RunSummary of(RunRecord r, boolean withPhases) {
        return new RunSummary(r.runId(), r.name(), r.state(), r.pauseReason(), r.createdAtMs(), r.startedAtMs(),
                r.finishedAtMs(), phases(r, withPhases), r.tokensReserved(),
                r.tokensUsed(), r.runningCount(), r.maxParallelism(), r.fallbacks(), r.sequentialFallback(),
                r.blueprint().settings(), r.lastSequence(), r.count(io.phasegrid.coordinator.run.PhaseState.READY),
                r.oldestReadyAt(), r.blueprint().git());
    }

    private static List<PhaseView> phases(RunRecord r, boolean withPhases) {
        if (withPhases) {
            return List.copyOf(r.phases());
        }
        int integration = r.blueprint().integration();
        return integration < 0 ? List.of() : List.of(r.phase(integration));
    }
}
