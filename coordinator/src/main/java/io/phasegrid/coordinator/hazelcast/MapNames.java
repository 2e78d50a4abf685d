package io.phasegrid.coordinator.hazelcast;

/** Names of the distributed maps (docs/cluster.md). */
public final class MapNames {

    public static final String RUNS = "phasegrid.runs";
    public static final String CHECKPOINTS = "phasegrid.checkpoints";
    public static final String LEDGER = "phasegrid.ledger";
    public static final String SUBMISSIONS = "phasegrid.submissions";
    public static final String WORKERS = "phasegrid.workers";
    /** Per run, keyed by run id (so in the run's partition): idempotency key, ledger rule, PLAN file contents. */
    public static final String RUN_META = "phasegrid.runmeta";
    /** One entry: the plan-content bytes every run's metadata holds, per run (the cap on retained submissions). */
    public static final String RETAINED = "phasegrid.retained";
    /** Principal name -> its runs in flight and their bytes (quota). */
    public static final String QUOTAS = "phasegrid.quotas";

    private MapNames() {
    }
}
