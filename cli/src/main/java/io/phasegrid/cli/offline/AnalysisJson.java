package io.phasegrid.cli.offline;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.phasegrid.cli.json.Json;
import io.phasegrid.common.analysis.Analysis;
import io.phasegrid.common.analysis.AnalyzedPhase;
import io.phasegrid.common.analysis.InferredDependency;
import io.phasegrid.common.roadmap.Phase;
import io.phasegrid.common.roadmap.Problem;
import java.util.List;
import java.util.function.Predicate;

/** The {@code phasegrid.analysis/v1} JSON document ({@code analyze --json}); fields may be added, never renamed. */
public final class AnalysisJson {

    public static final String SCHEMA = "phasegrid.analysis/v1";

    private AnalysisJson() {
    }

    /**
     * @param source the path as the user gave it
     * @param phaseFilter which phases to list (all, or only those not complete for {@code --pending})
     */
    public static ObjectNode of(Analysis analysis, String source, Predicate<AnalyzedPhase> phaseFilter) {
        ObjectNode root = Json.object();
        root.put("schema", SCHEMA);
        root.put("source", source);
        ArrayNode phases = root.putArray("phases");
        for (AnalyzedPhase analyzed : analysis.phases()) {
            if (phaseFilter.test(analyzed)) {
                phases.add(phase(analyzed));
            }
        }
        ArrayNode waves = root.putArray("waves");
        for (List<String> wave : analysis.waves()) {
            ArrayNode w = waves.addArray();
            wave.forEach(w::add);
        }
        root.put("maxParallelism", analysis.maxParallelism());
        ArrayNode critical = root.putArray("criticalPath");
        analysis.criticalPath().forEach(critical::add);
        problems(root.putArray("warnings"), analysis.warnings());
        problems(root.putArray("errors"), analysis.errors());
        return root;
    }

    private static ObjectNode phase(AnalyzedPhase analyzed) {
        Phase phase = analyzed.phase();
        ObjectNode node = Json.object();
        node.put("key", phase.key());
        node.put("id", phase.id().normalized());
        node.put("name", phase.name());
        node.put("milestone", phase.milestone());
        node.put("status", phase.status().json());
        node.put("file", phase.source().file());
        node.put("line", phase.source().line());
        ArrayNode deps = node.putArray("dependsOn");
        analyzed.dependsOn().forEach(deps::add);
        ArrayNode inferred = node.putArray("inferred");
        for (InferredDependency dep : analyzed.inferred()) {
            ObjectNode i = inferred.addObject();
            i.put("key", dep.key());
            i.put("reason", dep.reason());
        }
        node.put("wave", analyzed.wave());
        node.put("plans", phase.plans().size());
        node.put("estimatedTokens", analyzed.estimatedTokens());
        return node;
    }

    private static void problems(ArrayNode array, List<Problem> problems) {
        for (Problem p : problems) {
            ObjectNode node = array.addObject();
            node.put("file", p.source().file());
            node.put("line", p.source().line());
            node.put("code", p.code().name());
            node.put("message", p.message());
        }
    }
}
