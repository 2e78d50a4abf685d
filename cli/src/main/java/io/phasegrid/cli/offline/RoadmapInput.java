package io.phasegrid.cli.offline;

import io.phasegrid.cli.InvalidInputException;
import io.phasegrid.common.analysis.Analysis;
import io.phasegrid.common.analysis.AnalysisOptions;
import io.phasegrid.common.graph.RoadmapAnalyzer;
import io.phasegrid.common.parse.LoadLimits;
import io.phasegrid.common.parse.PlanningLayout;
import io.phasegrid.common.parse.RoadmapLoader;
import io.phasegrid.common.roadmap.Problem;
import io.phasegrid.common.roadmap.ProblemCode;
import io.phasegrid.common.roadmap.Roadmap;
import io.phasegrid.common.roadmap.SourceRef;
import io.phasegrid.common.settings.RunSettings;
import io.phasegrid.common.settings.RunSettingsResolver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The PATH argument of the offline commands: a ROADMAP.md file, a {@code .planning} folder or a project root.
 * Loads and analyses it and renders problems as {@code file:line: message} with the file as the user can open it.
 */
public final class RoadmapInput {

    private final Path path;
    private final LoadLimits limits;
    private final Optional<PlanningLayout> layout;

    public RoadmapInput(Path path, LoadLimits limits) {
        this.path = path;
        this.limits = limits;
        this.layout = PlanningLayout.of(path);
    }

    public RoadmapInput(Path path) {
        this(path, LoadLimits.defaults());
    }

    public Path path() {
        return path;
    }

    /** The planning folder (config.json, token_budget.json); empty for a bare ROADMAP.md or a path without one. */
    public Optional<Path> planningDir() {
        return layout.filter(l -> !l.isBareFile()).map(PlanningLayout::planningDir);
    }

    /** How a file of the planning folder is shown to the user ({@code examples/x/.planning/config.json}). */
    public String displayPlanningFile(String fileName) {
        return layout.map(l -> displayFile(l.display(fileName))).orElse(fileName);
    }

    public Roadmap load() {
        return RoadmapLoader.load(path, limits);
    }

    /** Loads and analyses; does not fail on errors (see {@link #requireNoErrors}). */
    public Analysis analyze(AnalysisOptions options) {
        return RoadmapAnalyzer.analyze(load(), options);
    }

    /** Throws {@link InvalidInputException} listing every error of the analysis. */
    public Analysis requireNoErrors(Analysis analysis) {
        if (analysis.hasErrors()) {
            throw new InvalidInputException(renderAll(analysis.errors()));
        }
        return analysis;
    }

    /**
     * Throws {@link InvalidInputException} listing every error that stops a run ({@link Analysis#errorsForRun});
     * returns the analysis as the run sees it, errors confined to complete phases as warnings when the run skips them.
     */
    public Analysis requireRunnable(Analysis analysis, boolean includeComplete) {
        List<Problem> refusing = analysis.errorsForRun(includeComplete);
        if (!refusing.isEmpty()) {
            throw new InvalidInputException(renderAll(refusing));
        }
        return includeComplete ? analysis : analysis.toleratingCompletePhaseErrors();
    }

    /** The planning folder's config.json; an invalid one is invalid input. */
    public Map<String, Object> readConfig() {
        if (layout.isEmpty()) {
            throw new InvalidInputException(renderAll(load().problems()));
        }
        List<Problem> problems = new ArrayList<>();
        Map<String, Object> config = RoadmapLoader.readConfig(layout.get(), limits, problems);
        List<Problem> invalid = problems.stream().filter(p -> p.code() == ProblemCode.INVALID_CONFIG).toList();
        if (!invalid.isEmpty()) {
            throw new InvalidInputException(renderAll(invalid));
        }
        return config;
    }

    /** Run settings from config.json and flags; a wrongly typed config value is invalid input naming the key. */
    public RunSettings settings(Map<String, Object> config, Map<String, Object> flags) {
        try {
            return RunSettingsResolver.resolve(config, flags);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(displayPlanningFile(RoadmapLoader.CONFIG_FILE) + ": " + e.getMessage(), e);
        }
    }

    /** {@code file:line: message} with the file relative to the working directory. */
    public String render(Problem problem) {
        return where(problem) + ": " + problem.message();
    }

    /** A warning with its code, for human output. */
    public String renderWarning(Problem problem) {
        return where(problem) + ": warning [" + problem.code() + "] " + problem.message();
    }

    public List<String> renderAll(List<Problem> problems) {
        return problems.stream().map(this::render).toList();
    }

    private SourceRef where(Problem problem) {
        return SourceRef.of(displayFile(problem.source().file()), problem.source().line());
    }

    /** A problem's file (relative to the roadmap's root) as the user can open it from the working directory. */
    public String displayFile(String relative) {
        if (layout.isEmpty()) {
            return relative; // the only problem is "no roadmap here", which names the path as given
        }
        String resolved = layout.get().root().resolve(relative).normalize().toString();
        return resolved.isEmpty() ? relative : resolved;
    }
}
