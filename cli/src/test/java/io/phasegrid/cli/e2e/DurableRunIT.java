package io.phasegrid.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.phasegrid.common.testing.PostgresServer;
import io.phasegrid.proto.v1.GetLedgerRequest;
import io.phasegrid.proto.v1.GetRunRequest;
import io.phasegrid.proto.v1.PhaseState;
import io.phasegrid.proto.v1.Run;
import io.phasegrid.proto.v1.RunPhase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, section 2, with real processes: every coordinator of a 3-member cluster on PostgreSQL killed -9 mid-run
 * and fresh members started on the same database finish the run without redoing an acknowledged completion; and
 * {@code phasegrid run} killed -9 continues with {@code run --resume} without redoing checkpointed plans.
 */
class DurableRunIT {

    static final Path EXAMPLE = Path.of("..", "examples", "invoice-portal").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    /**
     * A plan command (its script in {@code dir}) that appends "start PHASE PLAN" and "done PHASE PLAN" to the file
     * {@code $E2E_LOG}, takes a second, and reports 100 tokens.
     */
    static String planCommand(Path dir) throws Exception {
        Path script = dir.resolve("plan.sh");
        Files.writeString(script, """
                #!/bin/sh
                echo "start $2 $1" >> "$E2E_LOG"
                sleep 1
                echo "done $2 $1" >> "$E2E_LOG"
                echo '{"tokens": 100}'
                """);
        return "/bin/sh " + script + " {plan_id} {phase}";
    }

    static List<String> lines(Path log) throws Exception {
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    private static long count(List<String> lines, String line) {
        return lines.stream().filter(line::equals).count();
    }

    @Test
    void killingEveryCoordinatorMidRunRedoesNoAcknowledgedCompletion() throws Exception {
        Path log = dir.resolve("cluster.log");
        try (PostgresServer postgres = PostgresServer.start();
                Cluster cluster = Cluster.start(dir, "e2e-durable", "--store", postgres.jdbcUrl())) {
            int[] ports = {Cluster.freePort(), Cluster.freePort(), Cluster.freePort(), Cluster.freePort()};
            Cluster.Member second = cluster.startMember("member-2", ports[0], ports[1]);
            Cluster.Member third = cluster.startMember("member-3", ports[2], ports[3]);
            String all = String.join(",", cluster.address(), second.address(), third.address());
            cluster.startWorkerOn(all, "durable-w1", Map.of("E2E_LOG", log.toString()), "--slots", "3",
                    "--executor", "shell", "--command", planCommand(dir));
            Cluster.Cli submit = cluster.client("submit", EXAMPLE.toString(), "--json");
            assertThat(submit.exitCode()).as(submit.toString()).isZero();
            String runId = submit.json().path("runId").asText();
            // mid-run: some phases acknowledged, others still running
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                Run now = cluster.runs().getRun(GetRunRequest.newBuilder().setRunId(runId).build());
                return now.getPhasesList().stream().filter(p -> p.getState() == PhaseState.PHASE_SUCCEEDED).count() >= 2
                        && now.getPhasesList().stream().anyMatch(p -> p.getState() == PhaseState.PHASE_RUNNING
                                || p.getState() == PhaseState.PHASE_LEASED);
            });

            Run before = cluster.runs().getRun(GetRunRequest.newBuilder().setRunId(runId).build());
            Set<String> acknowledged = before.getPhasesList().stream()
                    .filter(p -> p.getState() == PhaseState.PHASE_SUCCEEDED).map(RunPhase::getKey)
                    .collect(Collectors.toSet());
            cluster.kill(cluster.coordinator());
            cluster.kill(second.node());
            cluster.kill(third.node());
            second.channel().shutdownNow();
            third.channel().shutdownNow();
            int linesAtCrash = lines(log).size();

            cluster.restartCoordinator();
            cluster.startMember("member-2-again", ports[0], ports[1]);
            cluster.startMember("member-3-again", ports[2], ports[3]);
            Cluster.Cli status = cluster.client("status", runId, "--wait", "--json");
            JsonNode after = status.json();

            assertThat(after.path("state").asText()).as(status.toString()).isEqualTo("SUCCEEDED");
            assertThat(acknowledged).as("some phases were acknowledged before the crash").isNotEmpty();
            List<String> since = lines(log).subList(linesAtCrash, lines(log).size());
            for (String key : acknowledged) {
                assertThat(since).as("phase " + key + " was acknowledged before the crash")
                        .noneMatch(l -> l.startsWith("start " + key + " "));
            }
            Run run = cluster.runs().getRun(GetRunRequest.newBuilder().setRunId(runId).build());
            long charged = run.getPhasesList().stream().mapToLong(RunPhase::getTokens).sum();
            assertThat(cluster.ledger().getLedger(GetLedgerRequest.getDefaultInstance()).getUsed())
                    .as("the ledger counted each charge once").isEqualTo(charged);
        }
    }

    @Test
    void runKilledMidRunContinuesWithResumeWithoutRedoingCheckpointedPlans() throws Exception {
        Path log = dir.resolve("run.log");
        Map<String, String> env = Map.of("E2E_LOG", log.toString(), "PHASEGRID_STATE_DIR",
                dir.resolve("state").toString());
        try (Cluster processes = Cluster.withoutCoordinator(dir, "e2e-resume")) {
            String[] args = {"run", EXAMPLE.toString(), "--executor", "shell", "--command", planCommand(dir),
                "--lease-ttl", "2000", "--heartbeat-interval", "500"};
            Cluster.Node first = processes.startCommand("run-1", env, args);
            await().atMost(Duration.ofSeconds(90)).until(() -> lines(log).stream()
                    .filter(l -> l.startsWith("done ")).count() >= 4);
            Set<String> done = lines(log).stream().filter(l -> l.startsWith("done "))
                    .map(l -> l.substring("done ".length())).collect(Collectors.toSet());
            Thread.sleep(700); // their checkpoints are on their way: a plan is checkpointed right after it ends
            processes.kill(first);

            List<String> resumeArgs = new java.util.ArrayList<>(List.of(args));
            resumeArgs.addAll(List.of("--resume", "--json"));
            Cluster.Cli resumed = processes.command(env, resumeArgs.toArray(String[]::new));

            assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
            assertThat(resumed.json().path("state").asText()).isEqualTo("SUCCEEDED");
            assertThat(resumed.stderr()).contains("resuming run");
            List<String> all = lines(log);
            for (String plan : done) {
                assertThat(count(all, "start " + plan)).as("plan %s ran once", plan).isEqualTo(1);
            }
            Cluster.Cli again = processes.command(env, resumeArgs.toArray(String[]::new));
            assertThat(again.exitCode()).isEqualTo(2);
            assertThat(again.stderr()).contains("nothing to resume");
        }
    }
}
