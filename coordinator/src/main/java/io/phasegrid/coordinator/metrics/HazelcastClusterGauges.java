package io.phasegrid.coordinator.metrics;

import io.phasegrid.coordinator.lease.WorkerDirectory;
import io.phasegrid.coordinator.ledger.LedgerSnapshot;
import io.phasegrid.coordinator.ledger.TokenLedger;
import io.phasegrid.coordinator.run.store.RunStore;
import io.phasegrid.coordinator.run.store.RunSummary;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@link ClusterGauges} read from the maps at scrape time: one read-only processor call per partition for the runs
 * (a summary each; the ready queue's age is a scan of each active run's states), one ledger read, one read of the
 * workers map. Every member answers the same, cluster-wide.
 */
public final class HazelcastClusterGauges implements ClusterGauges {

    private final RunStore store;
    private final TokenLedger ledger;
    private final WorkerDirectory workers;
    private final Clock clock;

    public HazelcastClusterGauges(RunStore store, TokenLedger ledger, WorkerDirectory workers, Clock clock) {
        this.store = store;
        this.ledger = ledger;
        this.workers = workers;
        this.clock = clock;
    }

    @Override
    public RunTotals runs() {
        int running = 0;
        int ready = 0;
        long oldestReady = Long.MAX_VALUE;
        Map<String, Integer> byState = new HashMap<>();
        for (RunSummary run : store.summaries().values()) {
            byState.merge(run.state().name(), 1, Integer::sum);
            running += run.runningCount();
            ready += run.readyCount();
            oldestReady = Math.min(oldestReady, run.oldestReadyAtMs());
        }
        long age = oldestReady == Long.MAX_VALUE ? 0 : Math.max(0, clock.millis() - oldestReady);
        return new RunTotals(running, byState, ready, age);
    }

    @Override
    public LedgerSnapshot tokens() {
        return ledger.snapshot();
    }

    @Override
    public Map<String, Slots> workers() {
        Map<String, Slots> connected = new LinkedHashMap<>();
        for (WorkerDirectory.Worker w : workers.list().workers()) {
            if (w.connected()) {
                connected.put(w.name(), new Slots(w.slots(), w.busySlots()));
            }
        }
        return connected;
    }
}
