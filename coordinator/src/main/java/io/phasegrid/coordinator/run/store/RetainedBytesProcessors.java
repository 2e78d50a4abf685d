package io.phasegrid.coordinator.run.store;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.phasegrid.coordinator.hazelcast.SerializationIds;
import java.io.IOException;
import java.util.Map;

/**
 * The processors of {@link RetainedBytes} (copy -> change -> {@code setValue(copy)}; arguments from the caller, so
 * the backup replica computes the same state).
 */
public final class RetainedBytesProcessors {

    private RetainedBytesProcessors() {
    }

    abstract static class Base<R> implements EntryProcessor<String, RetainedBytes, R>, IdentifiedDataSerializable {
        @Override
        public final int getFactoryId() {
            return SerializationIds.FACTORY_ID;
        }

        static RetainedBytes copyOf(Map.Entry<String, RetainedBytes> entry) {
            RetainedBytes stored = entry.getValue();
            return stored == null ? new RetainedBytes() : stored.copy();
        }
    }

    /** A reservation's answer: accepted or not, and the bytes held before it. */
    public record Admission(boolean accepted, long heldBefore) implements java.io.Serializable {
    }

    /** Lists a new run's bytes unless the total would pass the cap ({@link RetainedBytes#reserve}). */
    public static final class Reserve extends Base<Admission> {
        private String runId;
        private long bytes;
        private long cap;
        private long now;

        public Reserve() {
        }

        public Reserve(String runId, long bytes, long cap, long now) {
            this.runId = runId;
            this.bytes = bytes;
            this.cap = cap;
            this.now = now;
        }

        @Override
        public Admission process(Map.Entry<String, RetainedBytes> entry) {
            RetainedBytes copy = copyOf(entry);
            long held = copy.total();
            if (!copy.reserve(runId, bytes, cap, now)) {
                return new Admission(false, held);
            }
            if (copy.total() != held) {
                entry.setValue(copy);
            }
            return new Admission(true, held);
        }

        @Override
        public int getClassId() {
            return SerializationIds.RETAINED_RESERVE;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeString(runId);
            out.writeLong(bytes);
            out.writeLong(cap);
            out.writeLong(now);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            runId = in.readString();
            bytes = in.readLong();
            cap = in.readLong();
            now = in.readLong();
        }
    }

    /** Each run holds at most its bytes now (0 or less: none); answers the new total. */
    public static final class Shrink extends Base<Long> {
        private String[] runIds;
        private long[] bytes;

        public Shrink() {
        }

        public Shrink(String[] runIds, long[] bytes) {
            this.runIds = runIds;
            this.bytes = bytes;
        }

        @Override
        public Long process(Map.Entry<String, RetainedBytes> entry) {
            if (entry.getValue() == null) {
                return 0L;
            }
            RetainedBytes copy = copyOf(entry);
            boolean changed = false;
            for (int i = 0; i < runIds.length; i++) {
                changed |= copy.shrink(runIds[i], bytes[i]);
            }
            if (changed) {
                entry.setValue(copy);
            }
            return copy.total();
        }

        @Override
        public int getClassId() {
            return SerializationIds.RETAINED_SHRINK;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeStringArray(runIds);
            out.writeLongArray(bytes);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            runIds = in.readStringArray();
            bytes = in.readLongArray();
        }
    }

    /**
     * {@link Shrink} for the runs reserved at or before {@code reservedBefore} only: the repair pass, which read the
     * runs' metadata after that time (a younger reservation's metadata may still be on its way to the map).
     */
    public static final class Reconcile extends Base<Long> {
        private String[] runIds;
        private long[] bytes;
        private long reservedBefore;

        public Reconcile() {
        }

        public Reconcile(String[] runIds, long[] bytes, long reservedBefore) {
            this.runIds = runIds;
            this.bytes = bytes;
            this.reservedBefore = reservedBefore;
        }

        @Override
        public Long process(Map.Entry<String, RetainedBytes> entry) {
            if (entry.getValue() == null) {
                return 0L;
            }
            RetainedBytes copy = copyOf(entry);
            boolean changed = false;
            for (int i = 0; i < runIds.length; i++) {
                RetainedBytes.Held h = copy.runs().get(runIds[i]);
                if (h != null && h.reservedAtMs() <= reservedBefore) {
                    changed |= copy.shrink(runIds[i], bytes[i]);
                }
            }
            if (changed) {
                entry.setValue(copy);
            }
            return copy.total();
        }

        @Override
        public int getClassId() {
            return SerializationIds.RETAINED_RECONCILE;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeStringArray(runIds);
            out.writeLongArray(bytes);
            out.writeLong(reservedBefore);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            runIds = in.readStringArray();
            bytes = in.readLongArray();
            reservedBefore = in.readLong();
        }
    }
}
