package io.phasegrid.coordinator.quota;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.phasegrid.coordinator.hazelcast.SerializationIds;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one principal holds against its quota, in {@code phasegrid.quotas} under its name: the runs it submitted
 * that were in flight when last looked at, each with its retained submission bytes. A run that finished (or was
 * deleted) since is dropped at the principal's next submission ({@link AdmitRun}).
 */
public final class PrincipalUsage implements IdentifiedDataSerializable {

    private Map<String, Long> runs;
    private Map<String, Long> admittedAt;

    public PrincipalUsage() {
        runs = new LinkedHashMap<>();
        admittedAt = new LinkedHashMap<>();
    }

    PrincipalUsage(Map<String, Long> runs, Map<String, Long> admittedAt) {
        this.runs = new LinkedHashMap<>(runs);
        this.admittedAt = new LinkedHashMap<>(admittedAt);
    }

    /** When the run was admitted (ms since the epoch); 0 for a run not listed. */
    public long admittedAt(String runId) {
        return admittedAt.getOrDefault(runId, 0L);
    }

    Map<String, Long> admissions() {
        return Collections.unmodifiableMap(admittedAt);
    }

    /** Run id -> retained submission bytes, unmodifiable. */
    public Map<String, Long> runs() {
        return Collections.unmodifiableMap(runs);
    }

    public long bytes() {
        long sum = 0;
        for (long b : runs.values()) {
            sum += b;
        }
        return sum;
    }

    @Override
    public int getFactoryId() {
        return SerializationIds.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return SerializationIds.PRINCIPAL_USAGE;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeInt(runs.size());
        for (Map.Entry<String, Long> e : runs.entrySet()) {
            out.writeString(e.getKey());
            out.writeLong(e.getValue());
            out.writeLong(admittedAt(e.getKey()));
        }
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        int n = in.readInt();
        runs = new LinkedHashMap<>(Math.max(16, n * 2));
        admittedAt = new LinkedHashMap<>(Math.max(16, n * 2));
        for (int i = 0; i < n; i++) {
            String runId = in.readString();
            runs.put(runId, in.readLong());
            admittedAt.put(runId, in.readLong());
        }
    }
}
