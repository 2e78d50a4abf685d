package io.phasegrid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** README's first command, run as a newcomer runs it: {@code bin/phasegrid run examples/invoice-portal}. */
class LauncherIT {

    private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

    /** Runs the launcher with {@code args}, output to a file, stopped by PID if it outlives {@code seconds}. */
    private static Result launch(Path dir, long seconds, String... args) throws IOException, InterruptedException {
        Path output = dir.resolve("output.txt");
        Process process = new ProcessBuilder(
                java.util.stream.Stream.concat(java.util.stream.Stream.of("bin/phasegrid"), List.of(args).stream())
                        .toList())
                .directory(REPOSITORY.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        try {
            boolean finished = process.waitFor(seconds, TimeUnit.SECONDS);
            return new Result(finished, finished ? process.exitValue() : -1, Files.readString(output));
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private record Result(boolean finished, int exitCode, String output) {
    }

    @Test
    void readmesFirstCommandRunsTheExampleOnTheEmbeddedCluster(@TempDir Path dir) throws Exception {
        assertThat(REPOSITORY.resolve("cli/target/phasegrid.jar")).exists();
        String readme = Files.readString(REPOSITORY.resolve("README.md"), StandardCharsets.UTF_8);
        assertThat(readme.lines().filter(l -> l.startsWith("bin/phasegrid ")).findFirst())
                .hasValueSatisfying(line -> assertThat(line).startsWith("bin/phasegrid run examples/invoice-portal "));

        Result run = launch(dir, 120, "run", "examples/invoice-portal");

        assertThat(run.finished()).as(run.output()).isTrue();
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("SUCCEEDED: makespan").contains("max parallelism 3");
    }

    @Test
    void versionComesFromTheJarManifest(@TempDir Path dir) throws Exception {
        Result version = launch(dir, 60, "--version");

        assertThat(version.output()).contains("phasegrid 0.1.0");
    }
}
