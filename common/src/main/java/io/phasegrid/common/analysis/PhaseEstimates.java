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
 * Negative declared estimates are treated as zero, and every estimate is at most {@link #MAX} (a declared one above
 * it counts as {@code MAX}; {@link #oversized} finds them so the analysis can warn): sums never wrap around.
 */
public final class PhaseEstimates {

    /** The largest estimate of a plan or a phase, 10^15 tokens (also the limit of a structured phase's estimate). */
    public static final long MAX = 1_000_000_000_000_000L;

    private PhaseEstimates() {
    }

    /** {@code a + b} within [0, {@link #MAX}] for operands within it. */
    public static long add(long a, long b) {
        return Math.min(MAX, clamp(a) + clamp(b));
    }

    /** {@code tokens} within [0, {@link #MAX}]. */
    public static long clamp(long tokens) {
        return tokens < 0 ? 0 : Math.min(MAX, tokens);
    }

    /** The plans of the phase that declare an estimate over {@link #MAX}. */
    public static java.util.List<Plan> oversized(Phase phase) {
        return phase.plans().stream()
                .filter(p -> p.estimatedTokens() != null && p.estimatedTokens() > MAX)
                .toList();
    }

    public static long estimate(Phase phase, TokenEstimator estimator) {
        long declaredSum = 0;
        int declared = 0;
        for (Plan plan : phase.plans()) {
            if (plan.estimatedTokens() != null) {
                declaredSum = add(declaredSum, plan.estimatedTokens());
                declared++;
            }
        }
        if (declared == 0) {
            return clamp(estimator.formula(phase.requirementCount(), phase.successCriterionCount()));
        }
        int undeclared = phase.plans().size() - declared;
        long mean = (declaredSum + declared / 2) / declared;
        // mean <= MAX and undeclared < 2^31: the product fits in a long only below MAX / undeclared
        long rest = undeclared == 0 ? 0 : (mean > MAX / undeclared ? MAX : mean * undeclared);
        return add(declaredSum, rest);
    }
}
