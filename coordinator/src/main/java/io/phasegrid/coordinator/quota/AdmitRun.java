package io.phasegrid.coordinator.quota;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.phasegrid.coordinator.hazelcast.SerializationIds;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Admits a new run against its principal's quota, atomic on the principal's entry: drops the runs found finished,
 * then adds the run when it keeps the principal within {@code limits}; else changes nothing but the drop. Also
 * releases a run ({@code bytes < 0}: its submission failed after admission). Answers null when admitted (or
 * released), else why not.
 */
public final class AdmitRun implements EntryProcessor<String, PrincipalUsage, String>, IdentifiedDataSerializable {

    private String runId;
    private long bytes;
    private String[] finished;
    private int maxRuns;
    private long maxBytes;
    private long now;

    public AdmitRun() {
    }

    AdmitRun(String runId, long bytes, String[] finished, QuotaLimits limits, long now) {
        this.runId = runId;
        this.bytes = bytes;
        this.finished = finished;
        this.maxRuns = limits.maxRunsInFlight();
        this.maxBytes = limits.maxRetainedBytes();
        this.now = now;
    }

    static AdmitRun release(String runId) {
        return new AdmitRun(runId, -1, new String[0], QuotaLimits.NONE, 0);
    }

    @Override
    public String process(Map.Entry<String, PrincipalUsage> entry) {
        PrincipalUsage usage = entry.getValue();
        Map<String, Long> runs = usage == null ? new LinkedHashMap<>() : new LinkedHashMap<>(usage.runs());
        Map<String, Long> admitted = usage == null ? new LinkedHashMap<>() : new LinkedHashMap<>(usage.admissions());
        for (String done : finished) {
            runs.remove(done);
            admitted.remove(done);
        }
        String refusal = null;
        Long counted = runs.remove(runId); // a retried run listed still is admitted again in its own place
        admitted.remove(runId);
        if (bytes >= 0) {
            long held = 0;
            for (long b : runs.values()) {
                held += b;
            }
            if (counted == null && runs.size() >= maxRuns) {
                refusal = "it has " + runs.size() + " runs in flight, its quota is " + maxRuns;
            } else if (bytes > maxBytes - held) {
                refusal = "its runs in flight hold " + held + " bytes of submissions, this one " + bytes
                        + " more, its quota is " + maxBytes;
            } else {
                runs.put(runId, bytes);
                admitted.put(runId, now);
            }
        }
        if (refusal != null && counted != null) {
            runs.put(runId, counted); // refused: keep what was counted
            admitted.put(runId, usage.admittedAt(runId));
        }
        entry.setValue(runs.isEmpty() ? null : new PrincipalUsage(runs, admitted));
        return refusal;
    }

    @Override
    public int getFactoryId() {
        return SerializationIds.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return SerializationIds.QUOTA_ADMIT_RUN;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeString(runId);
        out.writeLong(bytes);
        out.writeStringArray(finished);
        out.writeInt(maxRuns);
        out.writeLong(maxBytes);
        out.writeLong(now);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        runId = in.readString();
        bytes = in.readLong();
        finished = in.readStringArray();
        maxRuns = in.readInt();
        maxBytes = in.readLong();
        now = in.readLong();
    }
}
