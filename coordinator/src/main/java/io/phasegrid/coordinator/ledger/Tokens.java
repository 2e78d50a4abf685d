package io.phasegrid.coordinator.ledger;

/**
 * The bounds of every token count the coordinator keeps, and the arithmetic that keeps them: no sum of tokens can
 * wrap around and turn negative (a negative {@code used} would make the budget limit nothing).
 *
 * <ul>
 *   <li>{@link #MAX_PER_REPORT} (10^12): the most one report may carry ({@code CompletePhase.tokens_used},
 *   {@code SaveCheckpoint.tokens_so_far}); over it, or negative, the report is INVALID_ARGUMENT. A real attempt uses
 *   millions of tokens at most (a week of a model at 100,000 tokens/s is 6 x 10^10): 10^12 refuses only a report that
 *   cannot be true, and leaves 10^6 maximal reports of room under the cap.</li>
 *   <li>{@link #CAP} (10^18): where every sum saturates (a run's and a phase's used, reserved, the ledger's totals,
 *   estimates x parallel, budget + top-up). Three values at the cap still add up inside a {@code long}, so
 *   {@code budget - reserved - used} cannot overflow either. Below the cap the sums are exact.</li>
 * </ul>
 */
public final class Tokens {

    /** The most tokens one report or checkpoint may carry: 10^12. */
    public static final long MAX_PER_REPORT = 1_000_000_000_000L;

    /** Where token sums saturate, and the largest budget: 10^18. */
    public static final long CAP = 1_000_000_000_000_000_000L;

    private Tokens() {
    }

    /** {@code a + b}, at most {@link #CAP}; negative operands count as 0. */
    public static long add(long a, long b) {
        long x = clamp(a);
        long y = clamp(b);
        return Math.min(CAP, x + y); // x, y <= CAP: no overflow
    }

    /** {@code a - b}, at least 0 (a reservation released from a saturated sum leaves 0, never a negative). */
    public static long subtract(long a, long b) {
        return Math.max(0, clamp(a) - clamp(b));
    }

    /** {@code a x b}, at most {@link #CAP}; negative operands count as 0. */
    public static long multiply(long a, long b) {
        long x = clamp(a);
        long y = clamp(b);
        if (x == 0 || y == 0) {
            return 0;
        }
        return x > CAP / y ? CAP : Math.min(CAP, x * y);
    }

    /** {@code tokens} within [0, CAP]. */
    public static long clamp(long tokens) {
        return tokens < 0 ? 0 : Math.min(CAP, tokens);
    }

    /**
     * The tokens of one report, checked.
     *
     * @throws IllegalArgumentException when negative or over {@link #MAX_PER_REPORT}
     */
    public static long requireReport(String field, long tokens) {
        if (tokens < 0 || tokens > MAX_PER_REPORT) {
            throw new IllegalArgumentException(field + " must be between 0 and " + MAX_PER_REPORT + " (10^12), was "
                    + tokens);
        }
        return tokens;
    }
}
