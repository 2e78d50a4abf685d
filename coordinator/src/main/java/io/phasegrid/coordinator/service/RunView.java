package io.phasegrid.coordinator.service;

import io.phasegrid.coordinator.run.GitRun;
import io.phasegrid.coordinator.run.PhaseView;
import io.phasegrid.coordinator.run.RunSettings;
import io.phasegrid.coordinator.run.RunState;
import java.util.List;

/**
 * A run as clients see it (a copy). {@code phases} is empty in listings.
 *
 * @param tokensBudget the run's own budget, 0 = none
 * @param tokensReserved reserved now by its leased and running phases
 * @param tokensUsed charged so far: the sum of its phases' tokens
 * @param git the git side of a git run (null for a plain run); its integration step is the last of {@code phases}
 * @param owner the principal that submitted the run
 */
public record RunView(
        String runId,
        String name,
        String idempotencyKey,
        RunState state,
        String pauseReason,
        long createdAtMs,
        long startedAtMs,
        long finishedAtMs,
        List<PhaseView> phases,
        long tokensBudget,
        long tokensReserved,
        long tokensUsed,
        int maxParallelism,
        int fallbacks,
        RunSettings settings,
        long minTokensPerPhase,
        GitRun git,
        String owner) {

    public RunView(String runId, String name, String idempotencyKey, RunState state, String pauseReason,
            long createdAtMs, long startedAtMs, long finishedAtMs, List<PhaseView> phases, long tokensBudget,
            long tokensReserved, long tokensUsed, int maxParallelism, int fallbacks, RunSettings settings,
            long minTokensPerPhase) {
        this(runId, name, idempotencyKey, state, pauseReason, createdAtMs, startedAtMs, finishedAtMs, phases,
                tokensBudget, tokensReserved, tokensUsed, maxParallelism, fallbacks, settings, minTokensPerPhase, null,
                Submission.LOCAL_OWNER);
    }
}
