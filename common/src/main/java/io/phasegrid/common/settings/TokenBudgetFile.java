package io.phasegrid.common.settings;

import io.phasegrid.common.parse.InputReader;
import io.phasegrid.common.parse.StructuredText;
import io.phasegrid.common.roadmap.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads {@code .planning/token_budget.json}: {@code {"budget": 200000, "used": 50000}} (used optional, default 0)
 * or {@code {"remaining": 150000}}. Numbers are whole tokens.
 */
public final class TokenBudgetFile {

    public static final String FILE_NAME = "token_budget.json";
    private static final long MAX_BYTES = 64 * 1024;

    private TokenBudgetFile() {
    }

    /**
     * @param planningDir the {@code .planning} folder
     * @param displayFile the file's name in messages
     * @return the budget, empty when the file does not exist
     * @throws IllegalArgumentException with {@code file:line: message} when the file is unreadable or malformed
     */
    public static Optional<TokenBudget> read(Path planningDir, String displayFile) {
        Path file = planningDir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        List<Problem> problems = new ArrayList<>();
        Optional<String> text = InputReader.read(file, displayFile, MAX_BYTES, problems);
        Optional<Problem> error = problems.stream().filter(Problem::isError).findFirst();
        if (text.isEmpty() || error.isPresent()) {
            throw new IllegalArgumentException(error.map(Problem::toString).orElse(displayFile + ": cannot read"));
        }
        return Optional.of(parse(text.get(), displayFile));
    }

    static TokenBudget parse(String text, String displayFile) {
        StructuredText.Loaded loaded = StructuredText.loadMapping(displayFile, text, StructuredText.Syntax.JSON, 1);
        if (!loaded.ok()) {
            throw new IllegalArgumentException(displayFile + ":" + loaded.line() + ": " + loaded.error());
        }
        Map<String, Object> map = loaded.mapping();
        if (map.containsKey("remaining")) {
            long remaining = RunSettingsResolver.nonNegativeLong(map.get("remaining"), displayFile + ": remaining");
            return new TokenBudget(remaining, 0, displayFile);
        }
        if (!map.containsKey("budget")) {
            throw new IllegalArgumentException(displayFile
                    + ":1: expected {\"budget\": 200000, \"used\": 50000} or {\"remaining\": 150000}");
        }
        long budget = RunSettingsResolver.nonNegativeLong(map.get("budget"), displayFile + ": budget");
        long used = map.containsKey("used")
                ? RunSettingsResolver.nonNegativeLong(map.get("used"), displayFile + ": used")
                : 0;
        return new TokenBudget(budget, used, displayFile);
    }
}
