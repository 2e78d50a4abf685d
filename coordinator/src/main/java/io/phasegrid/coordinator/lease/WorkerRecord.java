package io.phasegrid.coordinator.lease;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.phasegrid.coordinator.hazelcast.SerializationIds;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A registered worker in {@code phasegrid.workers}: name, slots, labels, when it was last heard from, and the
 * principal that registered it (the only one whose calls may use its id).
 */
public final class WorkerRecord implements IdentifiedDataSerializable {

    private String workerId;
    private String principal;
    private String name;
    private int slots;
    private int busySlots;
    private Map<String, String> labels;
    private long lastSeenMs;

    public WorkerRecord() {
    }

    public WorkerRecord(String workerId, String principal, String name, int slots, int busySlots,
            Map<String, String> labels, long lastSeenMs) {
        this.workerId = workerId;
        this.principal = principal;
        this.name = name;
        this.slots = slots;
        this.busySlots = busySlots;
        this.labels = Map.copyOf(labels);
        this.lastSeenMs = lastSeenMs;
    }

    public String workerId() {
        return workerId;
    }

    /** The name of the principal that registered the worker. */
    public String principal() {
        return principal;
    }

    public String name() {
        return name;
    }

    public int slots() {
        return slots;
    }

    public int busySlots() {
        return busySlots;
    }

    public Map<String, String> labels() {
        return labels;
    }

    public long lastSeenMs() {
        return lastSeenMs;
    }

    @Override
    public int getFactoryId() {
        return SerializationIds.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return SerializationIds.WORKER_RECORD;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeString(workerId);
        out.writeString(principal);
        out.writeString(name);
        out.writeInt(slots);
        out.writeInt(busySlots);
        out.writeInt(labels.size());
        for (Map.Entry<String, String> e : labels.entrySet()) {
            out.writeString(e.getKey());
            out.writeString(e.getValue());
        }
        out.writeLong(lastSeenMs);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        workerId = in.readString();
        principal = in.readString();
        name = in.readString();
        slots = in.readInt();
        busySlots = in.readInt();
        int n = in.readInt();
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            map.put(in.readString(), in.readString());
        }
        labels = Map.copyOf(map);
        lastSeenMs = in.readLong();
    }
}
