package io.phasegrid.coordinator.run.store;

import com.hazelcast.core.ReadOnly;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.phasegrid.coordinator.hazelcast.SerializationIds;
import io.phasegrid.coordinator.run.RunRecord;
import java.io.IOException;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The base of every entry processor of {@code phasegrid.runs} (the only ways a run changes): one processor per
 * transition of {@link RunRecord}, run atomically on the run's partition owner and again on the backup. Each is
 * deterministic in its arguments ({@code now} comes from the caller) and copy-on-write: copy the stored record, apply
 * the transition to the copy, {@code setValue} the copy; a call that changes nothing does not set the value. A missing
 * run answers {@code null}. Read-only processors ({@link ReadProcessors}) implement {@link ReadOnly} and have no backup
 * processor. By role: {@link LeaseProcessors}, {@link ReportProcessors}, {@link ControlProcessors},
 * {@link ReadProcessors}, {@link SetRunBudget}.
 *
 * @param <R> the processor's answer
 */
abstract class RunProcessor<R> implements EntryProcessor<String, RunRecord, R>, IdentifiedDataSerializable {

    @Override
    public final int getFactoryId() {
        return SerializationIds.FACTORY_ID;
    }

    /**
     * Copy-on-write: applies {@code transition} to a copy of the stored run and stores the copy when
     * {@code changed} says so; null for an unknown run.
     */
    static <T> T onCopy(Map.Entry<String, RunRecord> entry, Function<RunRecord, T> transition,
            Predicate<T> changed) {
        RunRecord stored = entry.getValue();
        if (stored == null) {
            return null;
        }
        RunRecord copy = stored.copy();
        T result = transition.apply(copy);
        if (changed.test(result)) {
            entry.setValue(copy);
        }
        return result;
    }

    /** A transition whose only argument is the caller's clock reading (deterministic on the backup replica). */
    abstract static class AtTime<R> extends RunProcessor<R> {
        protected long now;

        AtTime() {
        }

        AtTime(long now) {
            this.now = now;
        }

        @Override
        public final void writeData(ObjectDataOutput out) throws IOException {
            out.writeLong(now);
        }

        @Override
        public final void readData(ObjectDataInput in) throws IOException {
            now = in.readLong();
        }
    }
}
