package io.phasegrid.common.analysis;

import io.phasegrid.common.roadmap.Phase;
import io.phasegrid.common.roadmap.Plan;

/**
 * Estimated tokens for a whole phase.
 *
 * <ul>
 *   <li>When at least one plan declares {@code estimated_tokens}: the sum over the plans, where a plan without a
 *       declared estimate counts as the mean (rounded half up) of the declared ones in the same phase.</li>
 *   <li>Otherwise (no plans, or no plan declares one): the estimator's formula over the phase's requirement and
 *       success-criterion counts.</li>
 * </ul>
 * Negative declared estimates are treated as zero.
 */
public final class PhaseEstimates {

    private PhaseEstimates() {
    }

    public static long estimate(Phase phase, TokenEstimator estimator) {
        long declaredSum = 0;
        int declared = 0;
        for (Plan plan : phase.plans()) {
            if (plan.estimatedTokens() != null) {
                declaredSum += Math.max(0, plan.estimatedTokens());
                declared++;
            }
        }
        if (declared == 0) {
            return estimator.formula(phase.requirementCount(), phase.successCriterionCount());
        }
        int undeclared = phase.plans().size() - declared;
        long mean = (declaredSum + declared / 2) / declared;
        return declaredSum + mean * undeclared;
    }
}
