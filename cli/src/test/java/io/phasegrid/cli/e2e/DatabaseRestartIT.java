package io.phasegrid.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.phasegrid.common.testing.PostgresServer;
import io.phasegrid.proto.v1.GetLedgerRequest;
import io.phasegrid.proto.v1.GetRunRequest;
import io.phasegrid.proto.v1.PhaseState;
import io.phasegrid.proto.v1.Run;
import io.phasegrid.proto.v1.RunPhase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, section 2, the database restarted mid-run, with real processes: PostgreSQL stopped (a fast shutdown)
 * under a coordinator and two workers running a roadmap, kept down for longer than the store's 5 s connection wait
 * and started again on the same data and port. The run finishes without redoing an acknowledged completion, the
 * ledger exact; the coordinator says the store is away in one log line and in {@code phasegrid_store_available}, and
 * that it is back in another; the workers keep retrying and none of them dies.
 */
class DatabaseRestartIT {

    /** Longer than the store pool's 5 s connection wait, so calls made while the database is down really fail. */
    static final Duration OUTAGE = Duration.ofSeconds(8);

    static final String AWAY_LINE = "store: the database is unavailable";
    static final String BACK_LINE = "store: the database answers again";

    private static final Pattern STORE_AVAILABLE =
            Pattern.compile("(?m)^phasegrid_store_available(?:\\{[^}]*})? (\\S+)$");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dir;

    /** The coordinator's {@code phasegrid_store_available} as its {@code /metrics} endpoint shows it now. */
    private double storeAvailable(int metricsPort) throws Exception {
        HttpResponse<String> scrape = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).timeout(Duration.ofSeconds(8)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(scrape.statusCode()).as("GET /metrics").isEqualTo(200);
        Matcher sample = STORE_AVAILABLE.matcher(scrape.body());
        assertThat(sample.find()).as("phasegrid_store_available in\n%s", scrape.body()).isTrue();
        return Double.parseDouble(sample.group(1));
    }

    private static long linesContaining(String output, String text) {
        return output.lines().filter(l -> l.contains(text)).count();
    }

    @Test
    void theDatabaseRestartedMidRunLosesNothingAndTheCoordinatorSaysSoWhileItIsAway() throws Exception {
        Path log = dir.resolve("plans.log");
        int metricsPort = Cluster.freePort();
        try (PostgresServer postgres = PostgresServer.start();
                Cluster cluster = Cluster.start(dir, "e2e-db-restart", "--store", postgres.jdbcUrl(),
                        "--metrics-port", "" + metricsPort)) {
            Map<String, String> env = Map.of("E2E_LOG", log.toString());
            List<Cluster.Node> workers = List.of(
                    cluster.startWorker("restart-w1", env, "--slots", "2", "--executor", "shell",
                            "--command", DurableRunIT.planCommand(dir)),
                    cluster.startWorker("restart-w2", env, "--slots", "2", "--executor", "shell",
                            "--command", DurableRunIT.planCommand(dir)));
            Cluster.Cli submit = cluster.client("submit", DurableRunIT.EXAMPLE.toString(), "--json");
            assertThat(submit.exitCode()).as(submit.toString()).isZero();
            String runId = submit.json().path("runId").asText();
            // mid-run: some phases acknowledged, others still running
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                Run now = cluster.runs().getRun(GetRunRequest.newBuilder().setRunId(runId).build());
                return now.getPhasesList().stream().filter(p -> p.getState() == PhaseState.PHASE_SUCCEEDED).count() >= 2
                        && now.getPhasesList().stream().anyMatch(p -> p.getState() == PhaseState.PHASE_RUNNING
                                || p.getState() == PhaseState.PHASE_LEASED);
            });
            Set<String> acknowledged = cluster.runs().getRun(GetRunRequest.newBuilder().setRunId(runId).build())
                    .getPhasesList().stream().filter(p -> p.getState() == PhaseState.PHASE_SUCCEEDED)
                    .map(RunPhase::getKey).collect(Collectors.toSet());
            assertThat(storeAvailable(metricsPort)).as("the store is available before it goes").isEqualTo(1.0);

            postgres.stopFast();
            long stoppedAt = System.nanoTime();
            int linesAtStop = DurableRunIT.lines(log).size();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> storeAvailable(metricsPort) == 0.0);
            long left = OUTAGE.toNanos() - (System.nanoTime() - stoppedAt);
            Thread.sleep(Math.max(0, left / 1_000_000));
            assertThat(storeAvailable(metricsPort)).as("still away at the end of the outage").isEqualTo(0.0);
            String duringOutage = cluster.coordinator().output();
            postgres.startAgain();

            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> storeAvailable(metricsPort) == 1.0);
            Cluster.Cli status = cluster.client("status", runId, "--wait", "--json");

            assertThat(status.json().path("state").asText()).as(() -> status + "\n" + cluster.logs())
                    .isEqualTo("SUCCEEDED");
            assertThat(acknowledged).as("some phases were acknowledged before the database went").isNotEmpty();
            List<String> all = DurableRunIT.lines(log);
            List<String> since = all.subList(linesAtStop, all.size());
            for (String key : acknowledged) {
                assertThat(since).as("phase " + key + " was acknowledged before the database went")
                        .noneMatch(l -> l.startsWith("start " + key + " "));
            }
            Run run = cluster.runs().getRun(GetRunRequest.newBuilder().setRunId(runId).build());
            assertThat(run.getPhasesList()).allMatch(p -> p.getState() == PhaseState.PHASE_SUCCEEDED
                    || p.getState() == PhaseState.PHASE_SKIPPED); // the roadmap's completed phases are skipped
            long charged = run.getPhasesList().stream().mapToLong(RunPhase::getTokens).sum();
            assertThat(cluster.ledger().getLedger(GetLedgerRequest.getDefaultInstance()).getUsed())
                    .as("the ledger counted each charge once").isEqualTo(charged);

            assertThat(linesContaining(duringOutage, AWAY_LINE)).as("one line while away:\n%s", duringOutage)
                    .isEqualTo(1);
            assertThat(linesContaining(duringOutage, BACK_LINE)).as("not back while away").isZero();
            String output = cluster.coordinator().output();
            assertThat(linesContaining(output, AWAY_LINE)).as("one line when it went:\n%s", output).isEqualTo(1);
            assertThat(linesContaining(output, BACK_LINE)).as("one line when it was back:\n%s", output)
                    .isEqualTo(1);
            for (Cluster.Node worker : workers) {
                assertThat(worker.process().isAlive()).as("%s kept retrying:\n%s", worker.name(), worker.output())
                        .isTrue();
            }
        }
    }
}
