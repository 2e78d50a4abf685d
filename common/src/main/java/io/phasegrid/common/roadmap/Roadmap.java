package io.phasegrid.common.roadmap;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed roadmap: its phases in document order plus what came with it.
 *
 * @param source the path as the caller gave it
 * @param phases every phase, in document order; keys are unique
 * @param config the parsed {@code config.json} (JSON objects as maps), empty when absent
 * @param problems warnings and errors found while reading, in {@link Problem#ORDER}
 */
public record Roadmap(String source, List<Phase> phases, Map<String, Object> config, List<Problem> problems) {

    public Roadmap {
        phases = List.copyOf(phases);
        config = Collections.unmodifiableMap(new LinkedHashMap<>(config));
        problems = problems.stream().sorted(Problem.ORDER).toList();
    }

    public boolean hasErrors() {
        return problems.stream().anyMatch(Problem::isError);
    }
}
