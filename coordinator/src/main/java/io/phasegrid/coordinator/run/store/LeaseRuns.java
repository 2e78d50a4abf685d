package io.phasegrid.coordinator.run.store;

import io.phasegrid.coordinator.run.HeartbeatResult;
import io.phasegrid.coordinator.run.UnfundedResult;
import java.util.List;

/**
 * The stored runs as the worker gateway uses them besides what the run service does: leases and their funding,
 * heartbeats, batches of reports, resumes, plan contents for offers, and every run's changes for the
 * {@link ActiveRuns} index. Each change is one run processor applied atomically to one run; {@link RunStore} keeps
 * them in the Hazelcast maps, a test in plain entries. Methods answer {@code null} for an unknown run.
 */
public interface LeaseRuns extends RunRepository {

    /** @param awaitFunding the grants wait for {@link #confirmFunding} (the ledger's budget is limited) */
    LeaseBatch lease(String runId, String workerName, int maxPhases, long now, boolean awaitFunding);

    /** The ledger funded {@code funded} and refused {@code refused} (phase indexes with their lease epochs). */
    UnfundedResult confirmFunding(String runId, int[] funded, long[] fundedEpochs, int[] refused,
            long[] refusedEpochs, boolean firstRefused, long now);

    /** The run's metadata with its plan contents (lease offers). */
    RunMeta meta(String runId);

    /** @param worker the worker's name: leases it does not hold answer NOT_HELD; null = unchecked */
    List<HeartbeatResult> heartbeat(String runId, String[] keys, long[] epochs, long now, String worker);

    /**
     * Before a checkpoint is saved: renews the lease and marks the phase RUNNING, i.e. a heartbeat of one lease.
     *
     * @param worker the worker's name, checked against the lease's holder; null = unchecked
     */
    default HeartbeatResult markRunning(String runId, String key, long epoch, long now, String worker) {
        List<HeartbeatResult> results = heartbeat(runId, new String[] {key}, new long[] {epoch}, now, worker);
        return results == null ? null : results.get(0);
    }

    /** Applies several reports of one run in one processor call, confirming funded leases first. */
    CompleteOutcomes completeAll(String runId, List<PhaseReport> reports, long now, int[] confirmPhases,
            long[] confirmEpochs);

    /** Resumes a PAUSED run and clears a sequential fallback. */
    Boolean resume(String runId, long now);

    /** Tells {@code listener} of every run's changes (without values) until the subscription is closed. */
    Subscription listenAll(RunsListener listener);

    /** What a {@link #listenAll} listener hears: a run was created or changed, or removed. */
    interface RunsListener {
        void changed(String runId);

        void removed(String runId);
    }
}
