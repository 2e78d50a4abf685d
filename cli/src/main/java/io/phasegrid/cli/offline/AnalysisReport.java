package io.phasegrid.cli.offline;

import io.phasegrid.common.analysis.Analysis;
import io.phasegrid.common.analysis.AnalyzedPhase;
import io.phasegrid.common.analysis.InferredDependency;
import io.phasegrid.common.analysis.TokenMath;
import io.phasegrid.common.roadmap.PhaseStatus;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/** Human output of {@code analyze}: a sentence per wave, a phase table, the critical path and warnings. */
final class AnalysisReport {

    private final RoadmapInput input;
    private final Analysis analysis;
    private final Predicate<AnalyzedPhase> shown;
    private final Map<String, AnalyzedPhase> byKey = new HashMap<>();

    AnalysisReport(RoadmapInput input, Analysis analysis, Predicate<AnalyzedPhase> shown) {
        this.input = input;
        this.analysis = analysis;
        this.shown = shown;
        analysis.phases().forEach(p -> byKey.put(p.key(), p));
    }

    void print(PrintWriter out) {
        printSummary(out);
        out.println();
        printWaves(out);
        out.println();
        printPhases(out);
        out.println();
        out.println("Critical path: " + (analysis.criticalPath().isEmpty()
                ? "(none)"
                : String.join(" -> ", analysis.criticalPath()) + " (" + Tokens.format(criticalTokens())
                        + " tokens)"));
        if (!analysis.warnings().isEmpty()) {
            out.println();
            out.println("Warnings (" + analysis.warnings().size() + "):");
            analysis.warnings().forEach(w -> out.println("  " + input.renderWarning(w)));
        }
    }

    private long criticalTokens() {
        return analysis.criticalPath().stream().mapToLong(k -> byKey.get(k).estimatedTokens()).reduce(0, TokenMath::add);
    }

    private void printSummary(PrintWriter out) {
        Map<PhaseStatus, Integer> counts = new HashMap<>();
        analysis.phases().forEach(p -> counts.merge(p.phase().status(), 1, Integer::sum));
        out.printf("%s: %d phases (%d complete, %d pending, %d backlog), %d waves, max parallelism %d%n",
                input.path(), analysis.phases().size(),
                counts.getOrDefault(PhaseStatus.COMPLETE, 0), counts.getOrDefault(PhaseStatus.PENDING, 0),
                counts.getOrDefault(PhaseStatus.BACKLOG, 0), analysis.waves().size(), analysis.maxParallelism());
    }

    private void printWaves(PrintWriter out) {
        List<List<String>> waves = analysis.waves();
        for (int w = 0; w < waves.size(); w++) {
            List<String> wave = waves.get(w);
            String subject = wave.size() == 1
                    ? "Phase " + wave.get(0) + " runs alone"
                    : "Phases " + String.join(", ", wave) + " can run in parallel";
            List<String> dependents = dependentsOf(Set.copyOf(wave), w + 1 < waves.size() ? waves.get(w + 1) : List.of());
            String tail = dependents.isEmpty()
                    ? ""
                    : "; " + String.join(", ", dependents) + (dependents.size() == 1 ? " depends on " : " depend on ")
                            + (wave.size() == 1 ? "it" : "them");
            out.println(subject + " (wave " + (w + 1) + ")" + tail);
        }
    }

    /** Phases of the next wave with a dependency in {@code wave}. */
    private List<String> dependentsOf(Set<String> wave, List<String> nextWave) {
        List<String> result = new ArrayList<>();
        for (String key : nextWave) {
            AnalyzedPhase p = byKey.get(key);
            Set<String> deps = new LinkedHashSet<>(p.dependsOn());
            p.inferred().stream().map(InferredDependency::key).forEach(deps::add);
            if (deps.stream().anyMatch(wave::contains)) {
                result.add(key);
            }
        }
        return result;
    }

    private void printPhases(PrintWriter out) {
        int keyWidth = Math.max(5, analysis.phases().stream().mapToInt(p -> p.key().length()).max().orElse(5));
        String format = "%-" + keyWidth + "s  %-8s  %4s  %9s  %-24s  %s%n";
        out.printf(format, "PHASE", "STATUS", "WAVE", "TOKENS", "DEPENDS ON", "NAME");
        for (AnalyzedPhase p : analysis.phases()) {
            if (!shown.test(p)) {
                continue;
            }
            List<String> deps = new ArrayList<>(p.dependsOn());
            p.inferred().forEach(i -> deps.add(i.key() + "*"));
            out.printf(format, p.key(), p.phase().status().json(), p.wave() == 0 ? "-" : String.valueOf(p.wave()),
                    Tokens.format(p.estimatedTokens()), deps.isEmpty() ? "-" : String.join(", ", deps),
                    p.phase().name());
        }
        if (analysis.phases().stream().anyMatch(p -> shown.test(p) && !p.inferred().isEmpty())) {
            out.println("(* inferred: see --json for the reason of each)");
        }
    }
}
