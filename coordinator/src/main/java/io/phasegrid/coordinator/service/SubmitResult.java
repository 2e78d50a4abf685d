package io.phasegrid.coordinator.service;

import io.phasegrid.common.roadmap.Problem;
import java.util.List;

/**
 * @param created false when the idempotency key named an existing run
 * @param warnings the roadmap analysis' warnings (the run started anyway)
 */
public record SubmitResult(String runId, boolean created, RunView run, List<Problem> warnings) {
}
