package io.phasegrid.bench.gen;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Generates synthetic GSD roadmaps for benchmarks and tests: a realistic {@code .planning/ROADMAP.md} with a
 * phase checklist, phase details (goal, {@code **Depends on**:}, requirements, success criteria, plan count) and,
 * when asked, milestone sections.
 *
 * <p>The output is a pure function of the {@link GeneratorOptions}: the same options give byte-identical text on
 * every run and JDK. Text is streamed phase by phase; besides the {@link #graph() dependency graph} (one int per
 * phase and per edge) nothing proportional to the roadmap is held in memory, so 100,000 phases and more can be
 * written straight to a file.
 *
 * <pre>{@code
 * var options = GeneratorOptions.defaults().withPhases(100_000).withFanIn(3).withSeed(7);
 * Path planning = new RoadmapGenerator(options).writePlanning(Path.of("/tmp/big"));
 * }</pre>
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class RoadmapGenerator {

    /** The file name of the roadmap inside the {@code .planning} folder. */
    public static final String ROADMAP_FILE = "ROADMAP.md";
    /** The file name of the project configuration inside the {@code .planning} folder. */
    public static final String CONFIG_FILE = "config.json";

    private static final String PLANNING_DIR = ".planning";
    private static final String CONFIG_JSON = "{\n  \"parallelization\": true\n}\n";

    private final GeneratorOptions options;
    private final DependencyGraph graph;

    /** Prepares a generator; computes the dependency graph eagerly. */
    public RoadmapGenerator(GeneratorOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.graph = DependencyGraph.generate(options);
    }

    /** The options this generator was built with. */
    public GeneratorOptions options() {
        return options;
    }

    /** The dependencies the generated roadmap declares, for assertions and for benchmarks' expectations. */
    public DependencyGraph graph() {
        return graph;
    }

    /**
     * Writes the roadmap markdown to {@code out}, phase by phase. {@code out} is not flushed or closed; pass a
     * buffered writer when writing to a file or socket.
     *
     * @throws IOException when {@code out} fails
     */
    public void write(Appendable out) throws IOException {
        new RoadmapWriter(options, graph, Objects.requireNonNull(out, "out")).write();
    }

    /** The whole roadmap as a string; convenient for small roadmaps, use {@link #write} for large ones. */
    public String generate() {
        StringBuilder text = new StringBuilder((int) Math.min(1 << 24, options.phases() * 600L));
        try {
            write(text);
        } catch (IOException impossible) {
            throw new UncheckedIOException(impossible);
        }
        return text.toString();
    }

    /**
     * Creates {@code dir/.planning/} (and {@code dir} if needed) holding {@value #ROADMAP_FILE} and a minimal
     * {@value #CONFIG_FILE} ({@code {"parallelization": true}}), both UTF-8; existing files are replaced.
     *
     * @return the {@code .planning} folder
     * @throws IOException when the folder or files cannot be written
     */
    public Path writePlanning(Path dir) throws IOException {
        Path planning = Files.createDirectories(dir.resolve(PLANNING_DIR));
        try (Writer out = Files.newBufferedWriter(planning.resolve(ROADMAP_FILE), StandardCharsets.UTF_8)) {
            write(out);
        }
        Files.writeString(planning.resolve(CONFIG_FILE), CONFIG_JSON, StandardCharsets.UTF_8);
        return planning;
    }
}
