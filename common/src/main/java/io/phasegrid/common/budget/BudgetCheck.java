package io.phasegrid.common.budget;

import io.phasegrid.common.analysis.Analysis;
import io.phasegrid.common.analysis.AnalyzedPhase;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The token verdict of {@code phasegrid check} (the seed's semantics). Each phase needs its estimate, but never
 * less than the minimum tokens per phase; the group needs the sum of its phases' needs.
 *
 * <ul>
 *   <li>{@link TokenVerdict#CAN_PROCEED}: remaining &ge; the group's need (an empty group always proceeds);</li>
 *   <li>{@link TokenVerdict#FALLBACK_SEQUENTIAL}: remaining &ge; the largest single phase's need;</li>
 *   <li>{@link TokenVerdict#INSUFFICIENT}: otherwise.</li>
 * </ul>
 */
public final class BudgetCheck {

    /**
     * @param verdict what the budget allows
     * @param remaining the budget that was checked
     * @param groupNeed tokens needed to run the whole group at once
     * @param largestPhaseNeed tokens needed by the group's most expensive phase (0 for an empty group)
     */
    public record Result(TokenVerdict verdict, long remaining, long groupNeed, long largestPhaseNeed) {
    }

    private BudgetCheck() {
    }

    public static Result check(long remaining, long minTokensPerPhase, Collection<Long> groupEstimates) {
        if (minTokensPerPhase < 0) {
            throw new IllegalArgumentException("minimum tokens per phase must not be negative: " + minTokensPerPhase);
        }
        long groupNeed = 0;
        long largest = 0;
        for (long estimate : groupEstimates) {
            long need = Math.max(estimate, minTokensPerPhase);
            groupNeed = saturatedAdd(groupNeed, need);
            largest = Math.max(largest, need);
        }
        TokenVerdict verdict;
        if (remaining >= groupNeed) {
            verdict = TokenVerdict.CAN_PROCEED;
        } else if (remaining >= largest) {
            verdict = TokenVerdict.FALLBACK_SEQUENTIAL;
        } else {
            verdict = TokenVerdict.INSUFFICIENT;
        }
        return new Result(verdict, remaining, groupNeed, largest);
    }

    /** The verdict for the analysed phases with these keys (unknown keys are ignored). */
    public static Result check(long remaining, long minTokensPerPhase, Analysis analysis, Collection<String> keys) {
        Set<String> wanted = keys instanceof Set<String> set ? set : new HashSet<>(keys);
        List<Long> estimates = analysis.phases().stream()
                .filter(p -> wanted.contains(p.key()))
                .map(AnalyzedPhase::estimatedTokens)
                .toList();
        return check(remaining, minTokensPerPhase, estimates);
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }
}
