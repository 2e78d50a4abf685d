package io.phasegrid.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.phasegrid.proto.v1.GetLedgerRequest;
import io.phasegrid.proto.v1.RunOptions;
import io.phasegrid.proto.v1.StructuredPhase;
import io.phasegrid.proto.v1.StructuredRoadmap;
import io.phasegrid.proto.v1.SubmitRunRequest;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4, section 5, scenario 4: the cluster-wide token ledger. A run that fits only one phase at a time falls back
 * and succeeds; a run that cannot fit one phase pauses, and a top-up resumes it. The ledger is shared by the class's
 * runs, so each test sets the budget relative to what is already used (and the fallback test runs first).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BudgetIT {

    private static final long ESTIMATE = 20_000;

    @TempDir
    static Path dir;

    @RegisterExtension
    static final ClusterPerClass CLUSTER = new ClusterPerClass("e2e-budget", () -> dir);

    private static Cluster cluster() {
        return CLUSTER.get();
    }

    private static StructuredPhase phase(String key) {
        return StructuredPhase.newBuilder().setKey(key).setName("Phase " + key).setEstimatedTokens(ESTIMATE).build();
    }

    private static long ledgerUsed() {
        return cluster().ledger().getLedger(GetLedgerRequest.getDefaultInstance()).getUsed();
    }

    private static void setBudget(long tokens) throws Exception {
        Cluster.Cli set = cluster().client("ledger", "--set", "" + tokens, "--json");
        assertThat(set.exitCode()).as(set.toString()).isZero();
        assertThat(set.json().get("budget").asLong()).isEqualTo(tokens);
    }

    @Test
    @Order(1)
    void runThatFitsOnlySequentiallyFallsBackAndSucceeds() throws Exception {
        // Two independent phases; the budget carries their sum, but not a second one while one runs: with
        // min_tokens_per_phase = ESTIMATE, a second phase needs 2 x ESTIMATE remaining besides the first's reservation.
        long used = ledgerUsed();
        setBudget(used + 2 * ESTIMATE);
        String runId = cluster().runs().submit(SubmitRunRequest.newBuilder().setIdempotencyKey("e2e-budget-fallback")
                .setStructured(StructuredRoadmap.newBuilder().addPhases(phase("left")).addPhases(phase("right")))
                .setOptions(RunOptions.newBuilder().setMaxParallel(2).setMinTokensPerPhase(ESTIMATE))
                .build()).getRunId();
        cluster().startWorker("budget-w1", "--slots", "2", "--executor", "simulate", "--time-scale", "10");

        Cluster.Cli wait = cluster().client("status", runId, "--wait", "--json");
        assertThat(wait.exitCode()).as(wait.toString()).isZero();
        JsonNode run = wait.json();
        assertThat(run.get("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(run.get("fallbacks").asInt()).as("fallbacks").isGreaterThanOrEqualTo(1);
        // (The run's maxParallelism counts LEASED + RUNNING, so it includes the lease the ledger refused at once;
        // the phases' own times show that they ran one at a time.)
        Map<String, JsonNode> phases = new HashMap<>();
        run.get("phases").forEach(p -> phases.put(p.get("key").asText(), p));
        JsonNode first = phases.get("left").get("startedAt").asLong() <= phases.get("right").get("startedAt").asLong()
                ? phases.get("left") : phases.get("right");
        JsonNode second = first == phases.get("left") ? phases.get("right") : phases.get("left");
        assertThat(CorpusRunIT.observedParallelism(phases.values())).as("phases run at once").isEqualTo(1);
        assertThat(second.get("startedAt").asLong()).as("the second phase started after the first finished")
                .isGreaterThanOrEqualTo(first.get("finishedAt").asLong());
        phases.values().forEach(p -> assertThat(p.get("state").asText()).isEqualTo("SUCCEEDED"));
        assertThat(run.get("tokens").get("used").asLong()).isEqualTo(2 * ESTIMATE);
        assertThat(ledgerUsed() - used).as("ledger charges").isEqualTo(2 * ESTIMATE);

        Cluster.Cli text = cluster().client("status", runId);
        assertThat(text.exitCode()).as(text.toString()).isZero();
        assertThat(text.stdout()).contains("SUCCEEDED").containsPattern("fallbacks [1-9]");
    }

    @Test
    @Order(2)
    void runThatCannotFitOnePhasePausesAndATopUpResumesIt() throws Exception {
        long used = ledgerUsed();
        setBudget(used + ESTIMATE / 2);
        cluster().startWorker("budget-w2", "--slots", "2", "--executor", "simulate", "--time-scale", "10");
        Cluster.Cli submit = cluster().client("submit", FailureRetryIT.EXAMPLE.toString(), "--key", "e2e-budget-pause",
                "--json");
        assertThat(submit.exitCode()).as(submit.toString()).isZero();
        String runId = submit.json().get("runId").asText();

        Cluster.Cli paused = cluster().client("status", runId, "--wait", "--json");
        assertThat(paused.exitCode()).as("status --wait of a paused run: %s", paused).isEqualTo(3);
        JsonNode run = paused.json();
        assertThat(run.get("state").asText()).isEqualTo("PAUSED");
        assertThat(run.get("pauseReason").asText()).isEqualTo("token_budget");
        run.get("phases").forEach(p -> assertThat(p.get("state").asText()).as(p.toString())
                .isIn("READY", "PENDING", "SKIPPED"));
        assertThat(ledgerUsed()).as("nothing charged while paused").isEqualTo(used);

        Cluster.Cli topUp = cluster().client("ledger", "--top-up", "1000000", "--json");
        assertThat(topUp.exitCode()).as(topUp.toString()).isZero();
        Cluster.Cli resumed = cluster().client("status", runId, "--wait", "--json");
        assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
        JsonNode done = resumed.json();
        assertThat(done.get("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(done.has("pauseReason")).isFalse();
        long sum = 0;
        for (JsonNode p : done.get("phases")) {
            assertThat(p.get("state").asText()).as(p.toString()).isIn("SUCCEEDED", "SKIPPED");
            sum += p.get("tokens").asLong();
        }
        assertThat(ledgerUsed() - used).as("ledger charges").isEqualTo(sum);
    }
}
