package io.phasegrid.common.metrics;

import java.time.Duration;

/**
 * Histogram buckets (Prometheus {@code le} values). Fixed buckets instead of Micrometer's percentile histogram: a
 * phase may take seconds (simulated, small plans) or hours (an agent working through a large plan), and a dozen
 * explicit buckets keep the series count small while covering both.
 */
public final class Buckets {

    /** Phase duration: 5 ms to 4 h. */
    public static final Duration[] PHASE_DURATION = seconds(
            0.005, 0.05, 0.25, 1, 5, 15, 60, 300, 900, 1800, 3600, 7200, 14400);

    /** READY to leased: a poll round trip (ms) up to a phase that waited an hour for a slot or the budget. */
    public static final Duration[] SCHEDULE_TO_START = seconds(
            0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600);

    /** Phases in flight at once within one run. */
    public static final double[] PARALLELISM = {1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 128};

    private Buckets() {
    }

    private static Duration[] seconds(double... values) {
        Duration[] durations = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            durations[i] = Duration.ofNanos(Math.round(values[i] * 1e9));
        }
        return durations;
    }
}
