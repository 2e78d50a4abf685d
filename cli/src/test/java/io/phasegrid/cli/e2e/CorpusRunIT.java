package io.phasegrid.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.phasegrid.common.testing.Corpus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Issue 4, section 5, scenario 1: a corpus tree on 1 coordinator + 3 worker processes with the simulate executor. */
class CorpusRunIT {

    private static final int WORKERS = 3;
    private static final int SLOTS_PER_WORKER = 2;
    private static final int MAX_PARALLEL = 4;

    @TempDir
    static Path dir;

    @RegisterExtension
    static final ClusterPerClass CLUSTER = new ClusterPerClass("e2e-corpus", () -> dir);

    private static Cluster cluster() {
        return CLUSTER.get();
    }

    @Test
    void corpusTreeRunsEveryPhaseOnceInDependencyOrderAtTheBoundedParallelism() throws Exception {
        Path project = Corpus.project("X39__Writ");
        assumeTrue(Files.isDirectory(project.resolve(".planning")), project + " not in the corpus: test skipped");

        Cluster.Cli analyze = cluster().command("analyze", project.toString(), "--json");
        assertThat(analyze.exitCode()).as(analyze.toString()).isZero();
        JsonNode analysis = analyze.json();
        Map<String, Set<String>> dependencies = new HashMap<>();
        for (JsonNode phase : analysis.get("phases")) {
            Set<String> deps = new LinkedHashSet<>();
            phase.get("dependsOn").forEach(d -> deps.add(d.asText()));
            phase.get("inferred").forEach(d -> deps.add(d.get("key").asText()));
            dependencies.put(phase.get("key").asText(), deps);
        }
        int graphMaxParallelism = analysis.get("maxParallelism").asInt();
        int expectedParallelism = Math.min(graphMaxParallelism, Math.min(WORKERS * SLOTS_PER_WORKER, MAX_PARALLEL));
        assertThat(expectedParallelism).as("the bound must be below the graph's width to be meaningful").isGreaterThan(1);

        IntStream.rangeClosed(1, WORKERS).parallel().forEach(i -> {
            try {
                cluster().startWorker("corpus-w" + i, "--slots", "" + SLOTS_PER_WORKER, "--executor", "simulate",
                        "--time-scale", "10");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });

        Cluster.Cli submit = cluster().client("submit", project.toString(), "--include-complete",
                "--max-parallel", "" + MAX_PARALLEL, "--key", "e2e-corpus-x39", "--json");
        assertThat(submit.exitCode()).as(submit.toString()).isZero();
        String runId = submit.json().get("runId").asText();

        Cluster.Cli status = cluster().client("status", runId, "--wait", "--json");
        assertThat(status.exitCode()).as(status.toString()).isZero();
        JsonNode run = status.json();
        assertThat(run.get("state").asText()).isEqualTo("SUCCEEDED");

        Map<String, JsonNode> phases = new HashMap<>();
        run.get("phases").forEach(p -> phases.put(p.get("key").asText(), p));
        assertThat(phases.keySet()).as("every phase of the tree ran (--include-complete)")
                .containsExactlyInAnyOrderElementsOf(dependencies.keySet());
        Set<String> workers = new LinkedHashSet<>();
        for (JsonNode phase : phases.values()) {
            String key = phase.get("key").asText();
            assertThat(phase.get("state").asText()).as("state of %s", key).isEqualTo("SUCCEEDED");
            assertThat(phase.get("attempts").asInt()).as("attempts of %s", key).isEqualTo(1);
            assertThat(phase.get("requeues").asInt()).as("requeues of %s", key).isZero();
            assertThat(phase.get("startedAt").asLong()).as("start of %s", key).isPositive();
            assertThat(phase.get("finishedAt").asLong()).as("end of %s", key)
                    .isGreaterThanOrEqualTo(phase.get("startedAt").asLong());
            workers.add(phase.get("worker").asText());
            for (String dep : dependencies.get(key)) {
                assertThat(phase.get("startedAt").asLong())
                        .as("%s started before its dependency %s finished", key, dep)
                        .isGreaterThanOrEqualTo(phases.get(dep).get("finishedAt").asLong());
            }
        }
        assertThat(workers).as("phases ran on every worker process").hasSize(WORKERS);

        assertThat(observedParallelism(phases.values())).as("parallelism observed from the phases' times")
                .isEqualTo(expectedParallelism);
        assertThat(run.get("maxParallelism").asInt()).as("parallelism the coordinator counted")
                .isEqualTo(expectedParallelism);
    }

    /** The most phases whose [startedAt, finishedAt) intervals overlap (an end at t comes before a start at t). */
    static int observedParallelism(Iterable<JsonNode> phases) {
        List<long[]> events = new ArrayList<>();
        for (JsonNode p : phases) {
            events.add(new long[] {p.get("startedAt").asLong(), +1});
            events.add(new long[] {p.get("finishedAt").asLong(), -1});
        }
        events.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        int running = 0;
        int max = 0;
        for (long[] e : events) {
            running += (int) e[1];
            max = Math.max(max, running);
        }
        return max;
    }
}
