package io.phasegrid.coordinator.hazelcast;

/**
 * Factory and class ids of every {@code IdentifiedDataSerializable} the coordinator stores or sends between
 * members. Ids are part of the wire format between members of one version: add, never reuse.
 */
public final class SerializationIds {

    public static final int FACTORY_ID = 7400;

    // ledger 1..19
    public static final int LEDGER_RECORD = 1;
    // 2 was LEDGER_RESERVE and 3 LEDGER_SETTLE (a ledger of deltas, now of versioned shares): never reuse them
    public static final int LEDGER_SET_BUDGET = 4;
    public static final int LEDGER_TOP_UP = 5;
    public static final int LEDGER_SNAPSHOT = 6;
    public static final int LEDGER_SHARE = 7;
    public static final int LEDGER_FUND = 8;
    public static final int LEDGER_SYNC = 9;

    // runs 20..49: values
    // 20, 21: RunRecord and RunBlueprint before they moved to stream serializers (RUN_RECORD_TYPE below)
    public static final int RUN_META = 22;
    public static final int CHECKPOINT = 23;
    public static final int CHECKPOINT_KEY = 24;
    public static final int WORKER_RECORD = 25;

    /** Type ids of the stream serializers of {@code run.store.codec} (values of {@code run} that name no Hazelcast). */
    public static final int RUN_RECORD_TYPE = 7420;
    public static final int RUN_BLUEPRINT_TYPE = 7421;

    // runs: entry processors and predicates
    public static final int RUN_LEASE = 30;
    // 31 was RUN_RETURN_UNFUNDED (now RUN_CONFIRM_FUNDING): never reuse it
    public static final int RUN_RESUME = 32;
    public static final int RUN_HEARTBEAT = 33;
    // 34 was RUN_MARK_RUNNING (a single-key heartbeat, now the Heartbeat processor): never reuse it
    // 35 was RUN_COMPLETE (one report; now RUN_COMPLETE_BATCH): never reuse it
    public static final int RUN_EXPIRE = 36;
    public static final int RUN_CANCEL = 37;
    public static final int RUN_RETRY = 38;
    public static final int RUN_VIEW = 39;
    public static final int RUN_EVENTS = 40;
    public static final int RUN_DUE_FOR_SWEEP = 41;
    public static final int CHECKPOINT_SAVE = 42;
    public static final int RUN_COMPLETE_BATCH = 43;
    public static final int RUN_COMPLETE_OUTCOMES = 44;
    public static final int RUN_LEASE_BATCH = 45;
    public static final int RUN_FINISHED = 46;
    public static final int CHECKPOINTS_OF_RUNS = 47;
    public static final int RUN_PURGE = 48;
    public static final int RUN_SUMMARY = 49;
    // runs 50..59: more processors
    public static final int RUN_LEDGER_SHARE_OF = 50;
    public static final int RUN_CONFIRM_FUNDING = 51;
    // 70..: issue 9's run API (kept apart from the ids other changes add after 51)
    public static final int RUN_SET_BUDGET = 70;

    // 90..99: plan contents a finished run releases, and the cluster's account of retained submission bytes
    public static final int META_RELEASE_PLANS = 90;
    public static final int META_HEADER_OF = 91;
    public static final int META_RETAINED_BYTES_OF = 92;
    public static final int RUN_RETAINED_PLANS_OF = 93;
    // 94: retired (FinishedSince, now FinishedRuns.since)
    public static final int RETAINED_BYTES = 95;
    public static final int RETAINED_RESERVE = 96;
    public static final int RETAINED_SHRINK = 97;
    public static final int RETAINED_RECONCILE = 98;
    public static final int WORKER_HEARTBEAT = 99;
    // 110..119: issue 12's principals
    public static final int WORKER_CLAIM = 110;
    public static final int PRINCIPAL_USAGE = 111;
    public static final int QUOTA_ADMIT_RUN = 112;
    public static final int RUN_IS_FINISHED = 113;

    private SerializationIds() {
    }
}
