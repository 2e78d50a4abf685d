package io.phasegrid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** README's first command, run as a newcomer runs it: {@code bin/phasegrid analyze examples/invoice-portal}. */
class LauncherIT {

    private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

    @Test
    void readmesFirstCommandAnalysesTheExample() throws IOException, InterruptedException {
        assertThat(REPOSITORY.resolve("cli/target/phasegrid.jar")).exists();
        String readme = Files.readString(REPOSITORY.resolve("README.md"), StandardCharsets.UTF_8);
        assertThat(readme).contains("bin/phasegrid analyze examples/invoice-portal");

        Process process = new ProcessBuilder("bin/phasegrid", "analyze", "examples/invoice-portal")
                .directory(REPOSITORY.toFile())
                .redirectErrorStream(true)
                .start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(output).isZero();
            assertThat(output).contains("can run in parallel").contains("Critical path:");
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void versionComesFromTheJarManifest() throws IOException, InterruptedException {
        Process process = new ProcessBuilder("bin/phasegrid", "--version")
                .directory(REPOSITORY.toFile())
                .redirectErrorStream(true)
                .start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(output).contains("phasegrid 0.1.0");
        } finally {
            process.destroyForcibly();
        }
    }
}
