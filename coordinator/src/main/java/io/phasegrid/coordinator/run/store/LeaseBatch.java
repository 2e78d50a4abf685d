package io.phasegrid.coordinator.run.store;

import io.phasegrid.coordinator.run.LeaseGrant;
import java.io.Serializable;
import java.util.List;

/**
 * Answer of {@link RunProcessors.Lease}.
 *
 * @param grants leases made, highest priority first (not yet funded by the cluster ledger)
 * @param phases the name and plans of each granted phase, in the order of {@code grants}
 * @param refusedByRunBudget grants taken back at once because the run's own budget could not carry them
 * @param paused the run is PAUSED after the call
 * @param finished the run has ended (nothing more to lease from it)
 * @param nextNotBefore earliest time a phase waiting on a retry backoff becomes leasable ({@code Long.MAX_VALUE}: none)
 */
public record LeaseBatch(List<LeaseGrant> grants, List<PhaseInfo> phases, int refusedByRunBudget, boolean paused, boolean finished,
        long nextNotBefore) implements Serializable {
}
