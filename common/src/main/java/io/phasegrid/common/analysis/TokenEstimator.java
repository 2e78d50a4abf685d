package io.phasegrid.common.analysis;

/**
 * The seed formula for phases whose plans declare no estimate:
 * {@code base + perRequirement x requirements + perSuccessCriterion x success criteria}.
 */
public record TokenEstimator(long base, long perRequirement, long perSuccessCriterion) {

    public static TokenEstimator defaults() {
        return new TokenEstimator(10_000, 1_000, 500);
    }

    public long formula(int requirements, int successCriteria) {
        // saturating: a configured formula with huge factors must not wrap around to a negative estimate
        try {
            return Math.addExact(base, Math.addExact(Math.multiplyExact(perRequirement, (long) requirements),
                    Math.multiplyExact(perSuccessCriterion, (long) successCriteria)));
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
