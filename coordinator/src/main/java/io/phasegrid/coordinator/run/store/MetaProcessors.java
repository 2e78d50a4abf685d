package io.phasegrid.coordinator.run.store;

import com.hazelcast.core.ReadOnly;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.phasegrid.coordinator.hazelcast.SerializationIds;
import java.io.IOException;
import java.util.Map;
import java.util.Set;

/** Entry processors on {@code phasegrid.runmeta} (OBJECT format, so reads do not deserialise the contents). */
public final class MetaProcessors {

    private MetaProcessors() {
    }

    abstract static class Base<R> implements EntryProcessor<String, RunMeta, R>, IdentifiedDataSerializable {
        @Override
        public final int getFactoryId() {
            return SerializationIds.FACTORY_ID;
        }
    }

    /**
     * Keeps only the contents of {@code keep} (the PLAN files a retry of the finished run may lease again) and answers
     * the bytes it still holds, or -1 without metadata. Contents are only ever dropped, so a stale {@code keep} (a
     * superset) is harmless and applying it twice changes nothing; a call that drops nothing stores nothing.
     */
    public static final class ReleasePlans extends Base<Long> {
        private String[] keep;

        public ReleasePlans() {
        }

        public ReleasePlans(Set<String> keep) {
            this.keep = keep.toArray(String[]::new);
        }

        @Override
        public Long process(Map.Entry<String, RunMeta> entry) {
            RunMeta stored = entry.getValue();
            if (stored == null) {
                return -1L;
            }
            RunMeta kept = stored.keepingOnly(Set.of(keep));
            if (kept.planCount() < stored.planCount()) {
                entry.setValue(kept);
            }
            return kept.retainedBytes();
        }

        @Override
        public int getClassId() {
            return SerializationIds.META_RELEASE_PLANS;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeStringArray(keep);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            keep = in.readStringArray();
        }
    }

    /** Read-only: the metadata without plan contents (status, list and watch), or null. */
    public static final class HeaderOf extends Base<RunMeta> implements ReadOnly {
        @Override
        public RunMeta process(Map.Entry<String, RunMeta> entry) {
            return entry.getValue() == null ? null : entry.getValue().header();
        }

        @Override
        public EntryProcessor<String, RunMeta, RunMeta> getBackupProcessor() {
            return null;
        }

        @Override
        public int getClassId() {
            return SerializationIds.META_HEADER_OF;
        }

        @Override
        public void writeData(ObjectDataOutput out) {
        }

        @Override
        public void readData(ObjectDataInput in) {
        }
    }

    /** Read-only: the plan-content bytes the metadata holds, or -1 without metadata. */
    public static final class RetainedBytesOf extends Base<Long> implements ReadOnly {
        @Override
        public Long process(Map.Entry<String, RunMeta> entry) {
            return entry.getValue() == null ? -1L : entry.getValue().retainedBytes();
        }

        @Override
        public EntryProcessor<String, RunMeta, Long> getBackupProcessor() {
            return null;
        }

        @Override
        public int getClassId() {
            return SerializationIds.META_RETAINED_BYTES_OF;
        }

        @Override
        public void writeData(ObjectDataOutput out) {
        }

        @Override
        public void readData(ObjectDataInput in) {
        }
    }
}
