package io.phasegrid.common.settings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.schema.JsonSchema;

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
     * @return the budget, empty when the file does not exist
     * @throws IllegalArgumentException with {@code file:line: message} when the file is unreadable or malformed
     */
    public static Optional<TokenBudget> read(Path planningDir, String displayFile) {
        Path file = planningDir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        String text;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new IllegalArgumentException(displayFile + ": larger than " + MAX_BYTES + " bytes");
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException(displayFile + ": cannot read: " + e.getMessage(), e);
        }
        return Optional.of(parse(text, displayFile));
    }

    static TokenBudget parse(String text, String displayFile) {
        Object doc;
        try {
            doc = new Load(LoadSettings.builder().setSchema(new JsonSchema()).build()).loadFromString(text);
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(1);
            throw new IllegalArgumentException(displayFile + ":" + line + ": not valid JSON: " + e.getProblem(), e);
        } catch (YamlEngineException e) {
            throw new IllegalArgumentException(displayFile + ": not valid JSON: " + e.getMessage(), e);
        }
        if (!(doc instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(displayFile
                    + ":1: expected an object like {\"budget\": 200000, \"used\": 50000} or {\"remaining\": 150000}");
        }
        if (map.containsKey("remaining")) {
            long remaining = RunSettingsResolver.nonNegativeLong(map.get("remaining"), displayFile + ": remaining");
            return new TokenBudget(remaining, 0, displayFile);
        }
        if (!map.containsKey("budget")) {
            throw new IllegalArgumentException(displayFile + ":1: expected a \"budget\" or \"remaining\" key");
        }
        long budget = RunSettingsResolver.nonNegativeLong(map.get("budget"), displayFile + ": budget");
        long used = map.containsKey("used")
                ? RunSettingsResolver.nonNegativeLong(map.get("used"), displayFile + ": used")
                : 0;
        return new TokenBudget(budget, used, displayFile);
    }
}
