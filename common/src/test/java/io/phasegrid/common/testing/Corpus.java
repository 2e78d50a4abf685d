package io.phasegrid.common.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shared corpus of real roadmaps ({@code ../shared/corpus} beside the checkout, or the {@code phasegrid.corpus}
 * system property). Tests that read it are skipped, with a message saying why, where it is absent.
 */
public final class Corpus {

    private Corpus() {
    }

    /** The corpus root; skips the calling test when it is absent. */
    public static Path root() {
        String configured = System.getProperty("phasegrid.corpus");
        Path root = configured != null ? Path.of(configured) : Path.of("..", "..", "shared", "corpus");
        assumeTrue(Files.isDirectory(root.resolve("roadmaps")),
                "shared corpus not found at " + root.toAbsolutePath().normalize()
                        + " (expected ../shared/corpus beside the checkout): corpus test skipped");
        return root;
    }

    /** A roadmap file from {@code roadmaps/}, e.g. {@code CleanExpo__Synthex__ROADMAP.md}. */
    public static Path roadmap(String fileName) {
        return root().resolve("roadmaps").resolve(fileName);
    }

    /** A whole project root (containing {@code .planning}) from {@code projects/}, e.g. {@code X39__Writ}. */
    public static Path project(String name) {
        return root().resolve("projects").resolve(name);
    }
}
