package io.phasegrid.coordinator.run.store;

import io.phasegrid.coordinator.run.CompleteResult;
import io.phasegrid.coordinator.run.RunState;

/**
 * Answer to one report of {@link RunStore#completeAll}.
 *
 * @param result the state machine's answer (refused reports changed nothing)
 * @param reservedEstimate the ledger reservation this report settles (0 when the lease held none)
 * @param heldReservation the lease held a ledger reservation (open, current epoch, not revoked by a cancel)
 * @param runState the run's state after the whole batch
 */
public record CompleteOutcome(CompleteResult result, long reservedEstimate, boolean heldReservation,
        RunState runState) {
}
