package io.phasegrid.common.settings;

/**
 * A token budget as read from {@code .planning/token_budget.json} or {@code --budget}.
 *
 * @param total the budget, tokens
 * @param used tokens already spent
 * @param source where it was read ("--budget", ".planning/token_budget.json")
 */
public record TokenBudget(long total, long used, String source) {

    public long remaining() {
        return Math.max(0, total - used);
    }
}
