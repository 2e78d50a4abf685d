package io.phasegrid.common.parse;

import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.LoadSettingsBuilder;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.schema.JsonSchema;

/**
 * Loads one YAML or JSON document that must be a mapping (frontmatter, {@code config.json},
 * {@code token_budget.json}) with SnakeYAML Engine; JSON uses its JSON schema (YAML 1.2 is a superset of JSON).
 * Callers turn a failure into a problem with their own code and wording.
 */
public final class StructuredText {

    /** Which grammar the text follows. */
    public enum Syntax {
        YAML,
        JSON
    }

    /**
     * The mapping, or where and why it could not be loaded.
     *
     * @param mapping the document's mapping; empty when absent or invalid
     * @param error null when the document loaded (an empty document is a valid empty mapping)
     * @param line 1-based file line of the error
     */
    public record Loaded(Map<String, Object> mapping, String error, int line) {

        public boolean ok() {
            return error == null;
        }
    }

    private static final int MAX_ALIASES = 50;
    private static final int MAX_CODE_POINTS = 4 * 1024 * 1024;

    private StructuredText() {
    }

    /**
     * @param label the file name SnakeYAML puts in its messages
     * @param firstLine the file line of the text's first line (1 for a whole file)
     */
    @SuppressWarnings("unchecked")
    public static Loaded loadMapping(String label, String text, Syntax syntax, int firstLine) {
        LoadSettingsBuilder settings = LoadSettings.builder()
                .setLabel(label)
                .setMaxAliasesForCollections(MAX_ALIASES)
                .setAllowDuplicateKeys(syntax == Syntax.YAML)
                .setCodePointLimit(MAX_CODE_POINTS);
        if (syntax == Syntax.JSON) {
            settings.setSchema(new JsonSchema());
        }
        try {
            Object loaded = new Load(settings.build()).loadFromString(text);
            if (loaded == null) {
                return new Loaded(Map.of(), null, firstLine);
            }
            if (loaded instanceof Map<?, ?> map) {
                return new Loaded((Map<String, Object>) map, null, firstLine);
            }
            return new Loaded(Map.of(), "expected " + (syntax == Syntax.JSON ? "a JSON object" : "key: value pairs")
                    + ", found " + loaded.getClass().getSimpleName(), firstLine);
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().map(m -> m.getLine() + firstLine).orElse(firstLine);
            return new Loaded(Map.of(), "invalid " + syntax + ": " + firstLineOf(e.getProblem()), line);
        } catch (YamlEngineException | ClassCastException | IllegalArgumentException e) {
            return new Loaded(Map.of(), "invalid " + syntax + ": " + firstLineOf(String.valueOf(e.getMessage())),
                    firstLine);
        }
    }

    private static String firstLineOf(String s) {
        if (s == null) {
            return "unknown problem";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
