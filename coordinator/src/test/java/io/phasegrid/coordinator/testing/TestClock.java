package io.phasegrid.coordinator.testing;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A clock a test moves forward: {@link #manual} stands still between the test's {@link #advance} calls;
 * {@link #ticking} is the system clock plus what the test advanced (time goes on, so a poll's bounded wait ends).
 */
public final class TestClock extends Clock {

    private final LongSupplier base;
    private final AtomicLong advancedMs = new AtomicLong();

    private TestClock(LongSupplier base) {
        this.base = base;
    }

    public static TestClock manual(long startMs) {
        return new TestClock(() -> startMs);
    }

    public static TestClock ticking() {
        return new TestClock(System::currentTimeMillis);
    }

    public void advance(long ms) {
        advancedMs.addAndGet(ms);
    }

    @Override
    public long millis() {
        return base.getAsLong() + advancedMs.get();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** The coordinator reads millis only: every zone is this clock. */
    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
