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
        return base + perRequirement * requirements + perSuccessCriterion * successCriteria;
    }
}
