package io.phasegrid.bench.jmh;

import io.phasegrid.bench.gen.GeneratorOptions;
import io.phasegrid.bench.gen.RoadmapGenerator;
import io.phasegrid.bench.gen.Shape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The roadmap texts the benchmarks parse: a corpus file, or a synthetic one named {@code gen:PHASES}. */
final class RoadmapTexts {

    /** Where the shared corpus is: {@code -Dphasegrid.corpus=...}, else {@code ../shared/corpus}. */
    static Path corpus() {
        return Path.of(System.getProperty("phasegrid.corpus", "../shared/corpus"));
    }

    private RoadmapTexts() {
    }

    /**
     * @param name {@code gen:N} (N random phases, fan-in 3, 10 milestones, seed 42),
     *     {@code x4:FILE} (a corpus roadmap repeated four times, each copy its own milestone), or a corpus file name
     */
    static String load(String name) {
        if (name.startsWith("gen:")) {
            int phases = Integer.parseInt(name.substring(4));
            GeneratorOptions options = GeneratorOptions.defaultsFor(Shape.RANDOM)
                    .withPhases(phases).withMilestones(Math.max(1, Math.min(10, phases / 100)));
            return new RoadmapGenerator(options).generate();
        }
        if (name.startsWith("x4:")) {
            String one = read(name.substring(3));
            StringBuilder sb = new StringBuilder(one.length() * 4);
            for (int copy = 1; copy <= 4; copy++) {
                sb.append("\n## Milestone copy ").append(copy).append("\n\n").append(one);
            }
            return sb.toString();
        }
        return read(name);
    }

    private static String read(String corpusFile) {
        Path file = corpus().resolve("roadmaps").resolve(corpusFile);
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("corpus roadmap not found: " + file.toAbsolutePath()
                    + " (run from the repository root or pass -Dphasegrid.corpus=...)", e);
        }
    }
}
