package io.phasegrid.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4, section 5, scenario 5: an injected failure ({@code worker --fail 05}) on README's example. Phase 05's
 * siblings finish, its dependents (06, and 09 through it) are BLOCKED, the run FAILED; with workers restarted
 * without the failure, {@code retry} re-runs only the failed and blocked phases and the run succeeds.
 */
class FailureRetryIT {

    static final Path EXAMPLE = Path.of("..", "examples", "invoice-portal").toAbsolutePath().normalize();

    private static final List<String> SUCCESSFUL = List.of("04", "04.1", "07", "08");
    private static final List<String> BLOCKED = List.of("06", "09");

    @TempDir
    static Path dir;

    @RegisterExtension
    static final ClusterPerClass CLUSTER = new ClusterPerClass("e2e-failure", () -> dir);

    private static Cluster cluster() {
        return CLUSTER.get();
    }

    private static Map<String, JsonNode> phases(JsonNode run) {
        Map<String, JsonNode> phases = new LinkedHashMap<>();
        run.get("phases").forEach(p -> phases.put(p.get("key").asText(), p));
        return phases;
    }

    @Test
    void failedPhaseBlocksOnlyItsDependentsAndRetryRerunsOnlyFailedAndBlockedPhases() throws Exception {
        cluster().startWorker("fail-w1", "--slots", "2", "--executor", "simulate", "--time-scale", "10",
                "--fail", "05");
        cluster().startWorker("fail-w2", "--slots", "2", "--executor", "simulate", "--time-scale", "10",
                "--fail", "05");
        Cluster.Cli submit = cluster().client("submit", EXAMPLE.toString(), "--key", "e2e-failure", "--json");
        assertThat(submit.exitCode()).as(submit.toString()).isZero();
        String runId = submit.json().get("runId").asText();

        Cluster.Cli failed = cluster().client("status", runId, "--wait", "--json");
        assertThat(failed.exitCode()).as("status --wait of a failed run: %s", failed).isEqualTo(1);
        JsonNode first = failed.json();
        assertThat(first.get("state").asText()).isEqualTo("FAILED");
        Map<String, JsonNode> before = phases(first);
        assertThat(before.get("05").get("state").asText()).isEqualTo("FAILED");
        assertThat(before.get("05").get("attempts").asInt()).as("the retry policy's 3 attempts").isEqualTo(3);
        assertThat(before.get("05").get("reason").asText()).contains("simulated failure of phase 05");
        for (String key : SUCCESSFUL) {
            assertThat(before.get(key).get("state").asText()).as("sibling %s", key).isEqualTo("SUCCEEDED");
            assertThat(before.get(key).get("attempts").asInt()).as("attempts of %s", key).isEqualTo(1);
        }
        for (String key : BLOCKED) {
            assertThat(before.get(key).get("state").asText()).as("dependent %s", key).isEqualTo("BLOCKED");
            assertThat(before.get(key).get("attempts").asInt()).as("attempts of %s", key).isZero();
        }

        cluster().stopWorkers();
        cluster().startWorker("fixed-w1", "--slots", "2", "--executor", "simulate", "--time-scale", "10");
        cluster().startWorker("fixed-w2", "--slots", "2", "--executor", "simulate", "--time-scale", "10");
        Cluster.Cli retry = cluster().client("retry", runId, "--json");
        assertThat(retry.exitCode()).as(retry.toString()).isZero();

        Cluster.Cli succeeded = cluster().client("status", runId, "--wait", "--json");
        assertThat(succeeded.exitCode()).as(succeeded.toString()).isZero();
        JsonNode second = succeeded.json();
        assertThat(second.get("state").asText()).isEqualTo("SUCCEEDED");
        Map<String, JsonNode> after = phases(second);
        for (String key : SUCCESSFUL) {
            JsonNode was = before.get(key);
            JsonNode now = after.get(key);
            assertThat(now.get("state").asText()).as("%s", key).isEqualTo("SUCCEEDED");
            assertThat(now.get("attempts").asInt()).as("%s was not re-run", key).isEqualTo(1);
            assertThat(now.get("startedAt").asLong()).as("start of %s", key).isEqualTo(was.get("startedAt").asLong());
            assertThat(now.get("finishedAt").asLong()).as("end of %s", key).isEqualTo(was.get("finishedAt").asLong());
            assertThat(now.get("worker").asText()).as("worker of %s", key).startsWith("fail-w");
        }
        assertThat(after.get("05").get("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(after.get("05").get("attempts").asInt()).as("attempts go on counting after a retry").isEqualTo(4);
        assertThat(after.get("05").get("worker").asText()).startsWith("fixed-w");
        for (String key : BLOCKED) {
            assertThat(after.get(key).get("state").asText()).as("%s", key).isEqualTo("SUCCEEDED");
            assertThat(after.get(key).get("attempts").asInt()).as("attempts of %s", key).isEqualTo(1);
            assertThat(after.get(key).get("worker").asText()).startsWith("fixed-w");
        }
        after.forEach((key, p) -> assertThat(p.get("state").asText()).as(key).isIn("SUCCEEDED", "SKIPPED"));
    }
}
