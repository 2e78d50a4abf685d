package io.phasegrid.coordinator.run;

import io.phasegrid.common.settings.Schedule;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The options of one run with defaults filled in (the run's copy of {@code phasegrid.v1.RunOptions}).
 *
 * @param maxParallel phases LEASED or RUNNING at once (>= 1)
 * @param schedule EAGER (dependency-driven) or WAVES (a wave starts when the previous one is done)
 * @param includeComplete execute phases the roadmap marks complete instead of skipping them
 * @param includeBacklog keys of backlog phases to execute too, sorted
 * @param retry retry policy for execution failures
 * @param leaseTtlMs a lease not renewed for this long may expire
 * @param budgetTokens the run's own token budget, 0 = none (enforced by the ledger, recorded here for status)
 */
public record RunSettings(
        int maxParallel,
        Schedule schedule,
        boolean includeComplete,
        List<String> includeBacklog,
        RetryPolicy retry,
        long leaseTtlMs,
        long budgetTokens) implements java.io.Serializable {

    public static final int DEFAULT_MAX_PARALLEL = 3;
    public static final long DEFAULT_LEASE_TTL_MS = 30_000;

    public RunSettings {
        if (maxParallel < 1) {
            throw new IllegalArgumentException("maxParallel must be >= 1, was " + maxParallel);
        }
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(retry, "retry");
        includeBacklog = List.copyOf(new TreeSet<>(includeBacklog));
        if (leaseTtlMs < 1) {
            throw new IllegalArgumentException("leaseTtlMs must be >= 1, was " + leaseTtlMs);
        }
        if (budgetTokens < 0) {
            throw new IllegalArgumentException("budgetTokens must be >= 0, was " + budgetTokens);
        }
    }

    /** The binary form, shared by the blueprint and the run summary. */
    public void writeTo(WireOutput out) throws IOException {
        out.writeInt(maxParallel);
        out.writeByte(schedule.ordinal());
        out.writeBoolean(includeComplete);
        out.writeStringArray(includeBacklog.toArray(String[]::new));
        out.writeInt(retry.maxAttempts());
        out.writeLong(retry.initialBackoffMs());
        out.writeDouble(retry.multiplier());
        out.writeLong(retry.maxBackoffMs());
        out.writeLong(leaseTtlMs);
        out.writeLong(budgetTokens);
    }

    /** Reads what {@link #writeTo} wrote. */
    public static RunSettings readFrom(WireInput in) throws IOException {
        int maxParallel = in.readInt();
        Schedule schedule = Schedule.values()[in.readByte()];
        boolean includeComplete = in.readBoolean();
        List<String> backlog = List.of(in.readStringArray());
        RetryPolicy retry = new RetryPolicy(in.readInt(), in.readLong(), in.readDouble(), in.readLong());
        return new RunSettings(maxParallel, schedule, includeComplete, backlog, retry, in.readLong(), in.readLong());
    }

    public static RunSettings defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().maxParallel(maxParallel).schedule(schedule).includeComplete(includeComplete)
                .includeBacklog(includeBacklog).retry(retry).leaseTtlMs(leaseTtlMs).budgetTokens(budgetTokens);
    }

    /** Fills defaults: max parallel 3, EAGER, skip complete, no backlog, {@link RetryPolicy#DEFAULT}, TTL 30 s. */
    public static final class Builder {
        private int maxParallel = DEFAULT_MAX_PARALLEL;
        private Schedule schedule = Schedule.EAGER;
        private boolean includeComplete;
        private List<String> includeBacklog = List.of();
        private RetryPolicy retry = RetryPolicy.DEFAULT;
        private long leaseTtlMs = DEFAULT_LEASE_TTL_MS;
        private long budgetTokens;

        private Builder() {
        }

        public Builder maxParallel(int value) {
            this.maxParallel = value;
            return this;
        }

        public Builder schedule(Schedule value) {
            this.schedule = value;
            return this;
        }

        public Builder includeComplete(boolean value) {
            this.includeComplete = value;
            return this;
        }

        public Builder includeBacklog(Collection<String> keys) {
            this.includeBacklog = List.copyOf(keys);
            return this;
        }

        public Builder retry(RetryPolicy value) {
            this.retry = value;
            return this;
        }

        public Builder leaseTtlMs(long value) {
            this.leaseTtlMs = value;
            return this;
        }

        public Builder budgetTokens(long value) {
            this.budgetTokens = value;
            return this;
        }

        public RunSettings build() {
            return new RunSettings(maxParallel, schedule, includeComplete, includeBacklog, retry, leaseTtlMs,
                    budgetTokens);
        }
    }
}
