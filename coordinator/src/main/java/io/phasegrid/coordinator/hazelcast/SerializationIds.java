package io.phasegrid.coordinator.hazelcast;

/**
 * Factory and class ids of every {@code IdentifiedDataSerializable} the coordinator stores or sends between
 * members. Ids are part of the wire format between members of one version: add, never reuse.
 */
public final class SerializationIds {

    public static final int FACTORY_ID = 7400;

    // ledger 1..19
    public static final int LEDGER_RECORD = 1;
    public static final int LEDGER_RESERVE = 2;
    public static final int LEDGER_SETTLE = 3;
    public static final int LEDGER_SET_BUDGET = 4;
    public static final int LEDGER_TOP_UP = 5;
    public static final int LEDGER_SNAPSHOT = 6;

    private SerializationIds() {
    }
}
