package io.phasegrid.coordinator.run;

/**
 * Answer to {@link RunRecord#returnUnfunded}.
 *
 * @param returned phases put back to READY
 * @param fellBack the run switched to one phase at a time with this call (counted in {@code fallbacks})
 * @param paused the run is PAUSED with reason {@code token_budget} after this call
 * @param pausedNow this call paused it (it was not PAUSED before)
 */
public record UnfundedResult(int returned, boolean fellBack, boolean paused, boolean pausedNow)
        implements java.io.Serializable {
}
