package io.phasegrid.bench.driver;

import java.util.Arrays;
import java.util.List;

/** Medians and percentiles. */
final class Stats {

    private Stats() {
    }

    static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** Nearest-rank percentile of {@code p} in (0, 100]. */
    static long percentile(long[] values, double p) {
        long[] v = values.clone();
        Arrays.sort(v);
        int rank = (int) Math.ceil(p / 100.0 * v.length);
        return v[Math.max(0, Math.min(v.length - 1, rank - 1))];
    }
}
