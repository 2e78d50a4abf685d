package io.phasegrid.common.parse;

import io.phasegrid.common.roadmap.Problem;
import io.phasegrid.common.roadmap.ProblemCode;
import io.phasegrid.common.roadmap.SourceRef;
import java.util.List;
import java.util.Map;

/** Parses {@code config.json}; invalid JSON is an {@code INVALID_CONFIG} warning and the settings are ignored. */
final class ConfigReader {

    private ConfigReader() {
    }

    static Map<String, Object> parse(String displayFile, String json, List<Problem> problems) {
        StructuredText.Loaded loaded =
                StructuredText.loadMapping(displayFile, json, StructuredText.Syntax.JSON, 1);
        if (!loaded.ok()) {
            problems.add(Problem.of(ProblemCode.INVALID_CONFIG, SourceRef.of(displayFile, loaded.line()),
                    loaded.error() + "; settings from config.json ignored"));
        }
        return loaded.mapping();
    }
}
