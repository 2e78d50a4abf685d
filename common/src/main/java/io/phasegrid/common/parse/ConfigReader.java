package io.phasegrid.common.parse;

import io.phasegrid.common.roadmap.Problem;
import io.phasegrid.common.roadmap.ProblemCode;
import io.phasegrid.common.roadmap.SourceRef;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.schema.JsonSchema;

/** Parses {@code config.json} with SnakeYAML Engine's JSON schema; invalid JSON is an {@code INVALID_CONFIG} warning. */
final class ConfigReader {

    private ConfigReader() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> parse(String displayFile, String json, List<Problem> problems) {
        LoadSettings settings = LoadSettings.builder()
                .setLabel(displayFile)
                .setSchema(new JsonSchema())
                .setMaxAliasesForCollections(10)
                .build();
        try {
            Object loaded = new Load(settings).loadFromString(json);
            if (loaded instanceof Map<?, ?> map) {
                return (Map<String, Object>) map;
            }
            problems.add(Problem.of(ProblemCode.INVALID_CONFIG, SourceRef.of(displayFile, 1),
                    "expected a JSON object, found " + (loaded == null ? "nothing" : loaded.getClass().getSimpleName())
                            + "; settings from config.json ignored"));
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(1);
            problems.add(Problem.of(ProblemCode.INVALID_CONFIG, SourceRef.of(displayFile, line),
                    "invalid JSON: " + firstLine(e.getProblem()) + "; settings from config.json ignored"));
        } catch (YamlEngineException | ClassCastException e) {
            problems.add(Problem.of(ProblemCode.INVALID_CONFIG, SourceRef.of(displayFile, 1),
                    "invalid JSON: " + firstLine(String.valueOf(e.getMessage())) + "; settings from config.json ignored"));
        }
        return Map.of();
    }

    private static String firstLine(String s) {
        int nl = s == null ? -1 : s.indexOf('\n');
        return s == null ? "unknown problem" : nl < 0 ? s : s.substring(0, nl);
    }
}
