package io.phasegrid.coordinator.metrics;

import io.phasegrid.coordinator.ledger.LedgerSnapshot;
import java.util.Map;

/**
 * Where {@link CoordinatorMetrics} reads the cluster-wide gauges. {@link CoordinatorMetrics#refreshGauges()} calls each
 * method once per scrape, so each may do one pass over its map; a method that throws keeps that group's previous
 * values. Every coordinator member reports the same cluster-wide values: dashboards and alerts take {@code max()}.
 */
public interface ClusterGauges {

    /** One pass over the runs. */
    RunTotals runs();

    /** The token ledger. */
    LedgerSnapshot tokens();

    /** Connected workers by name (the {@code worker} tag) with their slots; its size is the workers connected. */
    Map<String, Slots> workers();

    /**
     * The run-derived gauges.
     *
     * @param phasesRunning phases LEASED or RUNNING across all runs
     * @param runsByState run count by {@code RunState} name (any case); missing states are 0
     * @param readyQueueDepth phases READY (including those waiting out a retry backoff)
     * @param oldestReadyAgeMs how long the oldest READY phase has been READY, 0 when none
     */
    record RunTotals(int phasesRunning, Map<String, Integer> runsByState, int readyQueueDepth, long oldestReadyAgeMs) {

        public RunTotals {
            runsByState = Map.copyOf(runsByState);
        }
    }

    /**
     * One worker's slots.
     *
     * @param total slots the worker registered
     * @param busy slots holding a lease
     */
    record Slots(int total, int busy) {
    }
}
