package io.phasegrid.cli.offline;

import io.phasegrid.cli.InvalidInputException;
import io.phasegrid.common.settings.TokenBudget;
import io.phasegrid.common.settings.TokenBudgetFile;
import java.nio.file.Path;
import java.util.Optional;

/** The token budget of the offline commands: {@code --budget}, else {@code .planning/token_budget.json}. */
final class BudgetSource {

    private BudgetSource() {
    }

    static Optional<TokenBudget> resolve(Long budgetFlag, RoadmapInput input) {
        if (budgetFlag != null) {
            if (budgetFlag < 0) {
                throw new InvalidInputException("--budget " + budgetFlag + ": expected a non-negative number of tokens");
            }
            return Optional.of(new TokenBudget(budgetFlag, 0, "--budget"));
        }
        Optional<Path> planningDir = input.planningDir();
        if (planningDir.isEmpty()) {
            return Optional.empty();
        }
        try {
            return TokenBudgetFile.read(planningDir.get(), input.displayPlanningFile(TokenBudgetFile.FILE_NAME));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(e.getMessage(), e);
        }
    }
}
