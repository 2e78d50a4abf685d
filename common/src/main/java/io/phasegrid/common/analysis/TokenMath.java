package io.phasegrid.common.analysis;

/** Token and token-time arithmetic that saturates at {@code Long.MAX_VALUE} instead of wrapping to a negative. */
public final class TokenMath {

    private TokenMath() {
    }

    /** {@code a + b} for non-negative operands, {@code Long.MAX_VALUE} when it would overflow. */
    public static long add(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }
}
