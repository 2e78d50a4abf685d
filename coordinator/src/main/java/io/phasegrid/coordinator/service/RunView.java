package io.phasegrid.coordinator.service;

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
        long minTokensPerPhase) {
}
