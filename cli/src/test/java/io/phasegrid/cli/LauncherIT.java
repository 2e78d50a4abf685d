package io.phasegrid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** README's first command, run as a newcomer runs it: {@code bin/phasegrid run examples/invoice-portal}. */
class LauncherIT {

    private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

    /** Runs the launcher with {@code args}, output to a file, stopped by PID if it outlives {@code seconds}. */
    private static Result launch(Path dir, long seconds, String... args) throws IOException, InterruptedException {
        return launch(dir, seconds, Map.of(), args);
    }

    /** {@link #launch(Path, long, String...)} with {@code env} added to the environment. */
    private static Result launch(Path dir, long seconds, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        Path output = dir.resolve("output.txt");
        ProcessBuilder builder = new ProcessBuilder(
                java.util.stream.Stream.concat(java.util.stream.Stream.of("bin/phasegrid"), List.of(args).stream())
                        .toList())
                .directory(REPOSITORY.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
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
    void jsonLogsAreOneObjectPerLineAndLinesAboutAPhaseCarryItsFields(@TempDir Path dir) throws Exception {
        Result run = launch(dir, 120, Map.of("PHASEGRID_LOG_FORMAT", "json", "PHASEGRID_LOG_LEVEL", "INFO"),
                "run", "examples/invoice-portal", "--time-scale", "0");

        assertThat(run.finished()).as(run.output()).isTrue();
        assertThat(run.exitCode()).as(run.output()).isZero();
        ObjectMapper mapper = new ObjectMapper();
        List<JsonNode> logs = new ArrayList<>();
        for (String line : run.output().lines().filter(l -> l.startsWith("{")).toList()) {
            logs.add(mapper.readTree(line)); // every log line is a whole JSON object
        }
        List<JsonNode> aboutPhases = logs.stream()
                .filter(l -> l.get("logger_name").asText().equals("io.phasegrid.worker.agent.WorkerAgent"))
                .filter(l -> l.get("message").asText().contains(" phase "))
                .toList();
        assertThat(aboutPhases).as(run.output()).isNotEmpty();
        assertThat(aboutPhases).allSatisfy(l -> {
            assertThat(l.get("message").asText()).contains("run " + l.get("run").asText())
                    .contains("phase " + l.get("phase").asText())
                    .contains("epoch " + l.get("epoch").asText());
            assertThat(l.get("worker").asText()).startsWith("local-");
            assertThat(l.get("attempt").asText()).isEqualTo("1");
            assertThat(l.get("level").asText()).isNotEmpty();
            assertThat(l.has("@timestamp")).isTrue();
        });
        assertThat(run.output()).as("the run's summary is unchanged").contains("SUCCEEDED: makespan");
    }

    @Test
    void versionComesFromTheJarManifest(@TempDir Path dir) throws Exception {
        Result version = launch(dir, 60, "--version");

        assertThat(version.output()).contains("phasegrid 0.1.0");
    }
}
