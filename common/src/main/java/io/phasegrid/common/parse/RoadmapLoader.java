package io.phasegrid.common.parse;

import io.phasegrid.common.roadmap.Phase;
import io.phasegrid.common.roadmap.Problem;
import io.phasegrid.common.roadmap.ProblemCode;
import io.phasegrid.common.roadmap.Roadmap;
import io.phasegrid.common.roadmap.SourceRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Loads a roadmap from a {@code ROADMAP.md} file, a {@code .planning} folder, or a project root containing
 * {@code .planning}. Never throws for bad input: problems (with file, line and a stable code) are in the result.
 */
public final class RoadmapLoader {

    public static final String CONFIG_FILE = "config.json";

    private RoadmapLoader() {
    }

    public static Roadmap load(Path path) {
        return load(path, LoadLimits.defaults());
    }

    public static Roadmap load(Path path, LoadLimits limits) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(limits, "limits");
        String source = path.toString();
        List<Problem> problems = new ArrayList<>();
        Optional<PlanningLayout> layout = PlanningLayout.of(path);
        if (layout.isEmpty()) {
            String what = Files.exists(path) ? "no ROADMAP.md in " + source + " or its .planning folder"
                    : source + " does not exist";
            problems.add(Problem.of(ProblemCode.NO_ROADMAP, SourceRef.wholeFile(source),
                    what + " (expected a ROADMAP.md file, a .planning folder or a project root containing one)"));
            return new Roadmap(source, List.of(), Map.of(), problems);
        }
        PlanningLayout l = layout.get();
        String roadmapDisplay = l.roadmapDisplay();
        Optional<String> text = InputReader.read(l.roadmapFile(), roadmapDisplay, limits.maxRoadmapBytes(), problems);
        if (text.isEmpty()) {
            return new Roadmap(source, List.of(), Map.of(), problems);
        }
        List<PhaseDraft> drafts = parseMarkdown(roadmapDisplay, text.get(), problems);
        Map<String, Object> config = Map.of();
        if (l.planningDir() != null) {
            PhaseFolderReader.attachPlans(l.planningDir(), l.prefix(), drafts, limits, problems);
            config = readConfig(l, limits, problems);
            readState(l.planningDir(), l.prefix(), limits, problems);
        }
        return finish(source, roadmapDisplay, drafts, config, problems);
    }

    /** Parses ROADMAP text alone (no plans, no config); {@code displayFile} names the file in problems. */
    public static Roadmap parse(String displayFile, String markdown) {
        Objects.requireNonNull(displayFile, "displayFile");
        Objects.requireNonNull(markdown, "markdown");
        List<Problem> problems = new ArrayList<>();
        String text = !markdown.isEmpty() && markdown.charAt(0) == '\uFEFF' ? markdown.substring(1) : markdown;
        List<PhaseDraft> drafts = parseMarkdown(displayFile, text, problems);
        return finish(displayFile, displayFile, drafts, Map.of(), problems);
    }

    private static List<PhaseDraft> parseMarkdown(String file, String text, List<Problem> problems) {
        RoadmapMarkdownParser.Result result = RoadmapMarkdownParser.parse(text);
        return PhaseAssembler.assemble(file, result.definitions(), result.ranges(), problems);
    }

    private static Roadmap finish(String source, String roadmapFile, List<PhaseDraft> drafts,
            Map<String, Object> config, List<Problem> problems) {
        for (PhaseDraft d : drafts) {
            StatusResolver.resolve(roadmapFile, d, problems);
        }
        DependencyResolver.resolve(roadmapFile, drafts, problems);
        if (drafts.isEmpty()) {
            problems.add(Problem.of(ProblemCode.NO_PHASES, SourceRef.wholeFile(roadmapFile),
                    roadmapFile + " defines no phases (expected headings like '### Phase 1: Name' or checklist "
                            + "entries like '- [ ] **Phase 1: Name**')"));
        }
        List<Phase> phases = new ArrayList<>(drafts.size());
        for (PhaseDraft d : drafts) {
            PhaseDefinition primary = d.primary();
            String dependsOnText = "";
            int requirements = 0;
            int criteria = 0;
            String goal = "";
            for (PhaseDefinition def : d.definitions) {
                if (dependsOnText.isEmpty() && !def.dependsOn.isEmpty()) {
                    dependsOnText = def.dependsOn.get(0).value();
                }
                requirements = Math.max(requirements, def.requirementCount);
                criteria = Math.max(criteria, def.successCriterionCount);
                if (goal.isEmpty()) {
                    goal = def.goal;
                }
            }
            phases.add(new Phase(d.key, d.id, d.name(), goal, d.milestone, d.status,
                    SourceRef.of(roadmapFile, primary.line), d.dependencies, dependsOnText, requirements, criteria,
                    d.plans));
        }
        return new Roadmap(source, phases, config, problems);
    }

    /**
     * The planning folder's {@code config.json} as a map (JSON objects as maps), empty when absent, unreadable or
     * invalid; an {@code INVALID_CONFIG} warning is added for the last two. A bare ROADMAP.md has no config.
     */
    public static Map<String, Object> readConfig(PlanningLayout layout, LoadLimits limits, List<Problem> problems) {
        if (layout.isBareFile()) {
            return Map.of();
        }
        Path file = layout.planningDir().resolve(CONFIG_FILE);
        if (!Files.isRegularFile(file)) {
            return Map.of();
        }
        String display = layout.display(CONFIG_FILE);
        List<Problem> readProblems = new ArrayList<>();
        Optional<String> json = InputReader.read(file, display, limits.maxPlanFileBytes(), readProblems);
        for (Problem p : readProblems) {
            problems.add(Problem.of(ProblemCode.INVALID_CONFIG, p.source(), p.message() + "; config.json ignored"));
        }
        return json.map(j -> ConfigReader.parse(display, j, problems)).orElse(Map.of());
    }

    /** STATE.md carries no facts the parser uses; it is only checked to be readable text. */
    private static void readState(Path planningDir, String prefix, LoadLimits limits, List<Problem> problems) {
        Path file = planningDir.resolve("STATE.md");
        if (!Files.isRegularFile(file)) {
            return;
        }
        List<Problem> readProblems = new ArrayList<>();
        InputReader.read(file, prefix + "STATE.md", limits.maxPlanFileBytes(), readProblems);
        for (Problem p : readProblems) {
            problems.add(p.isError() ? p.asWarning("; STATE.md ignored") : p);
        }
    }
}
