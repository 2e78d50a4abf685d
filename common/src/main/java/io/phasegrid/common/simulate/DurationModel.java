package io.phasegrid.common.simulate;

/**
 * How long a phase takes in simulation: its estimated tokens divided by a fixed rate. The default,
 * 1,000 tokens per simulated minute, makes a 25,000-token phase take 25 minutes.
 */
public record DurationModel(long tokensPerMinute) {

    public DurationModel {
        if (tokensPerMinute <= 0) {
            throw new IllegalArgumentException("tokens per minute must be positive: " + tokensPerMinute);
        }
    }

    public static DurationModel defaults() {
        return new DurationModel(1_000);
    }

    public double minutes(long tokens) {
        return (double) tokens / tokensPerMinute;
    }
}
