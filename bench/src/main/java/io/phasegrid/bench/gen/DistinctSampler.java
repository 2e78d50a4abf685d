package io.phasegrid.bench.gen;

import java.util.BitSet;
import java.util.Random;

/** Draws k distinct integers uniformly from a range, with Floyd's algorithm: k random draws, no retries. */
final class DistinctSampler {

    private final Random random;
    private final BitSet chosen = new BitSet();

    DistinctSampler(Random random) {
        this.random = random;
    }

    /** {@code count} distinct values of {@code [from, to]}, ascending. */
    int[] sample(int from, int to, int count) {
        int size = to - from + 1;
        if (count <= 0 || size <= 0) {
            return new int[0];
        }
        for (int j = size - count; j < size; j++) {
            int candidate = random.nextInt(j + 1);
            chosen.set(chosen.get(candidate) ? j : candidate);
        }
        int[] values = new int[count];
        int next = 0;
        for (int offset = chosen.nextSetBit(0); offset >= 0; offset = chosen.nextSetBit(offset + 1)) {
            values[next++] = from + offset;
        }
        chosen.clear();
        return values;
    }
}
