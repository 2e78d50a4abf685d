package io.phasegrid.bench.driver;

import io.phasegrid.proto.v1.PhaseState;
import io.phasegrid.proto.v1.Run;
import java.util.Map;

/** One run on the cluster: wall time submit -> SUCCEEDED seen, costs, and the final run. */
public record ClusterResult(int phases, double wallMs, double coordinatorMs, Map<String, Long> rpcs,
        MapOps mapOps, long viewsByDriver, Run run, double cpuMs) {

    /** CPU time of the whole JVM (coordinator, workers and driver) per phase, in microseconds. */
    public double cpuMicrosPerPhase() {
        return cpuMs * 1000.0 / phases;
    }

    /** Cores the JVM kept busy on average while the run went on. */
    public double coresBusy() {
        return cpuMs / wallMs;
    }

    public double phasesPerSecond() {
        return phases * 1000.0 / wallMs;
    }

    public long succeeded() {
        return run.getPhasesList().stream().filter(p -> p.getState() == PhaseState.PHASE_SUCCEEDED).count();
    }

    public double rpcsPerPhase() {
        return (double) CountingLink.Counters.rpcs(rpcs) / phases;
    }

    /** Entry processor calls per phase, the driver's own read-only views taken out. */
    public double entryProcessorsPerPhase() {
        return (double) (mapOps.totalEntryProcessors() - viewsByDriver) / phases;
    }
}
