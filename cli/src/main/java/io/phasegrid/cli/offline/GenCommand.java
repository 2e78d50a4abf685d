package io.phasegrid.cli.offline;

import io.phasegrid.bench.gen.GeneratorOptions;
import io.phasegrid.bench.gen.RoadmapGenerator;
import io.phasegrid.bench.gen.Shape;
import io.phasegrid.cli.ExitCodes;
import io.phasegrid.cli.InvalidInputException;
import io.phasegrid.cli.Subcommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code phasegrid gen}: a synthetic roadmap for benchmarks and demos (deterministic for a seed). */
@Command(name = "gen", mixinStandardHelpOptions = true,
        description = {"Generate a synthetic ROADMAP.md (deterministic for a seed).",
            "Without --out the markdown goes to stdout; with --out DIR it writes DIR/.planning/."})
public final class GenCommand extends Subcommand {

    @Option(names = "--phases", paramLabel = "N", defaultValue = "1000", description = "Number of phases (default ${DEFAULT-VALUE}).")
    int phases;

    @Option(names = "--fanin", paramLabel = "K",
            description = "Dependencies per phase (default: 3 for random, 2 for wide; deep ignores it).")
    Integer fanIn;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--shape", paramLabel = "random|wide|deep", defaultValue = "random",
            description = "random: K deps among the previous --window phases; wide: 10 layers; deep: 100 chains.")
    String shape;

    @Option(names = "--window", paramLabel = "W", defaultValue = "100", description = "Random shape window (default ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--milestones", paramLabel = "M", defaultValue = "1", description = "Milestone sections (default ${DEFAULT-VALUE}).")
    int milestones;

    @Option(names = "--out", paramLabel = "DIR", description = "Write DIR/.planning/ROADMAP.md and config.json.")
    Path out;

    @Override
    public Integer call() {
        GeneratorOptions options;
        try {
            Shape parsedShape = Shape.parse(shape);
            options = GeneratorOptions.defaultsFor(parsedShape)
                    .withPhases(phases)
                    .withFanIn(fanIn != null ? fanIn : parsedShape.defaultFanIn())
                    .withSeed(seed)
                    .withWindow(window)
                    .withMilestones(milestones);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("phasegrid gen: " + e.getMessage(), e);
        }
        RoadmapGenerator generator = new RoadmapGenerator(options);
        try {
            if (out != null) {
                Path planning = generator.writePlanning(out);
                PrintWriter err = err();
                err.printf("wrote %s (%d phases, %d dependencies)%n", planning.resolve(RoadmapGenerator.ROADMAP_FILE),
                        generator.graph().phaseCount(), generator.graph().edgeCount());
            } else {
                PrintWriter writer = out();
                generator.write(writer);
                writer.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ExitCodes.OK;
    }
}
