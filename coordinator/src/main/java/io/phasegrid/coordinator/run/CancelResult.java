package io.phasegrid.coordinator.run;

import java.util.List;

/**
 * Answer to {@link RunRecord#cancel}.
 *
 * @param changed false when the run had already finished (nothing changed)
 * @param cancelledPhases phases moved to CANCELLED
 * @param revoked leases open at the time (their workers learn it through the next heartbeat; release their
 *     reservations)
 */
public record CancelResult(boolean changed, int cancelledPhases, List<LeaseRef> revoked) implements java.io.Serializable {

    public CancelResult {
        revoked = List.copyOf(revoked);
    }
}
