package io.phasegrid.coordinator.ledger;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.phasegrid.coordinator.hazelcast.SerializationIds;
import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;

/**
 * What the ledger mirrors of one run, as the run side sends it: the run's absolute totals at one version of the run
 * record. The ledger applies it only when its version is newer than the one it holds.
 */
public final class LedgerShare implements IdentifiedDataSerializable {

    private static final long[] NONE = new long[0];

    private String key;
    private long version;
    private long reserved;
    private long used;
    private int leases;
    private long[] unconfirmedCalls = NONE;
    private long finishedAtMs;

    /** For Hazelcast. */
    public LedgerShare() {
    }

    /**
     * @param key the share key, {@code runId + "#" + incarnation}: a retried run starts a new share
     * @param version the run record's version; strictly increases with every change of the run
     * @param reserved tokens reserved by the run's confirmed open leases
     * @param used tokens charged to this share
     * @param leases the run's confirmed open leases holding a reservation
     * @param unconfirmedCalls versions of the run's Lease calls whose leases the run has not confirmed yet
     * @param finishedAtMs when the run finished, 0 while it is active
     */
    public LedgerShare(String key, long version, long reserved, long used, int leases, long[] unconfirmedCalls,
            long finishedAtMs) {
        this.key = Objects.requireNonNull(key, "key");
        this.version = version;
        this.reserved = reserved;
        this.used = used;
        this.leases = leases;
        this.unconfirmedCalls = unconfirmedCalls == null ? NONE : unconfirmedCalls.clone();
        this.finishedAtMs = finishedAtMs;
    }

    public String key() {
        return key;
    }

    public long version() {
        return version;
    }

    public long reserved() {
        return reserved;
    }

    public long used() {
        return used;
    }

    public int leases() {
        return leases;
    }

    public long[] unconfirmedCalls() {
        return unconfirmedCalls.clone();
    }

    public long finishedAtMs() {
        return finishedAtMs;
    }

    /** Whether the run still lists the Lease call {@code leaseCall} as unconfirmed (no copy of the array). */
    boolean listsUnconfirmed(long leaseCall) {
        for (long call : unconfirmedCalls) {
            if (call == leaseCall) {
                return true;
            }
        }
        return false;
    }

    @Override
    public int getFactoryId() {
        return SerializationIds.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return SerializationIds.LEDGER_SHARE;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeString(key);
        out.writeLong(version);
        out.writeLong(reserved);
        out.writeLong(used);
        out.writeInt(leases);
        out.writeLongArray(unconfirmedCalls);
        out.writeLong(finishedAtMs);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        key = in.readString();
        version = in.readLong();
        reserved = in.readLong();
        used = in.readLong();
        leases = in.readInt();
        long[] calls = in.readLongArray();
        unconfirmedCalls = calls == null ? NONE : calls;
        finishedAtMs = in.readLong();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof LedgerShare other)) {
            return false;
        }
        return version == other.version && reserved == other.reserved && used == other.used
                && leases == other.leases && finishedAtMs == other.finishedAtMs && Objects.equals(key, other.key)
                && Arrays.equals(unconfirmedCalls, other.unconfirmedCalls);
    }

    @Override
    public int hashCode() {
        int result = Objects.hash(key, version, reserved, used, leases, finishedAtMs);
        return 31 * result + Arrays.hashCode(unconfirmedCalls);
    }

    @Override
    public String toString() {
        return "LedgerShare[key=" + key + ", version=" + version + ", reserved=" + reserved + ", used=" + used
                + ", leases=" + leases + ", unconfirmedCalls=" + Arrays.toString(unconfirmedCalls)
                + ", finishedAtMs=" + finishedAtMs + "]";
    }
}
