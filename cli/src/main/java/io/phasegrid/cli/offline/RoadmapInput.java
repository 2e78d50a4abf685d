package io.phasegrid.cli.offline;

import io.phasegrid.cli.InvalidInputException;
import io.phasegrid.common.analysis.Analysis;
import io.phasegrid.common.analysis.AnalysisOptions;
import io.phasegrid.common.graph.RoadmapAnalyzer;
import io.phasegrid.common.parse.LoadLimits;
import io.phasegrid.common.parse.RoadmapLoader;
import io.phasegrid.common.roadmap.Problem;
import io.phasegrid.common.roadmap.Roadmap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The PATH argument of the offline commands: a ROADMAP.md file, a {@code .planning} folder or a project root.
 * Loads and analyses it and renders problems as {@code file:line: message} with the file as the user can open it.
 */
public final class RoadmapInput {

    private final Path path;
    private final LoadLimits limits;

    public RoadmapInput(Path path, LoadLimits limits) {
        this.path = path;
        this.limits = limits;
    }

    public RoadmapInput(Path path) {
        this(path, LoadLimits.defaults());
    }

    public Path path() {
        return path;
    }

    /** The folder that problem file names ({@code .planning/ROADMAP.md}) are relative to. */
    public Path projectRoot() {
        Path absolute = path.toAbsolutePath().normalize();
        if (Files.isDirectory(path)) {
            return ".planning".equals(String.valueOf(absolute.getFileName())) ? parentOf(path) : path;
        }
        return parentOf(path);
    }

    /** The {@code .planning} folder, where config.json and token_budget.json live. */
    public Path planningDir() {
        if (Files.isDirectory(path)) {
            Path absolute = path.toAbsolutePath().normalize();
            return ".planning".equals(String.valueOf(absolute.getFileName())) ? path : path.resolve(".planning");
        }
        return parentOf(path);
    }

    private static Path parentOf(Path p) {
        Path parent = p.getParent();
        return parent == null ? Path.of("") : parent;
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
            throw new InvalidInputException(analysis.errors().stream().map(this::render).toList());
        }
        return analysis;
    }

    /** {@code file:line: message} with the file relative to the working directory when possible. */
    public String render(Problem problem) {
        String file = displayFile(problem.source().file());
        return (problem.source().line() > 0 ? file + ":" + problem.source().line() : file) + ": "
                + problem.message();
    }

    /** Renders a warning with its code, for human output. */
    public String renderWarning(Problem problem) {
        String file = displayFile(problem.source().file());
        return (problem.source().line() > 0 ? file + ":" + problem.source().line() : file)
                + ": warning [" + problem.code() + "] " + problem.message();
    }

    public String displayFile(String relative) {
        Path resolved = projectRoot().resolve(relative).normalize();
        return resolved.toString().isEmpty() ? relative : resolved.toString();
    }

    public List<String> renderAll(List<Problem> problems) {
        return problems.stream().map(this::render).toList();
    }
}
