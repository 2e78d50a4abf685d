package io.phasegrid.coordinator.run.store;

import io.phasegrid.coordinator.run.CompleteResult;
import io.phasegrid.coordinator.run.RunState;

/**
 * Answer to one report of {@link RunStore#completeAll}.
 *
 * @param result the state machine's answer (refused reports changed nothing)
 * @param runState the run's state after the whole batch
 */
public record CompleteOutcome(CompleteResult result, RunState runState) {
}
