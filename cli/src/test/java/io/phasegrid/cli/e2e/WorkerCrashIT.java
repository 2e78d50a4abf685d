package io.phasegrid.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.phasegrid.proto.v1.CompletePhaseRequest;
import io.phasegrid.proto.v1.GetLedgerRequest;
import io.phasegrid.proto.v1.GetRunRequest;
import io.phasegrid.proto.v1.Lease;
import io.phasegrid.proto.v1.LeaseRef;
import io.phasegrid.proto.v1.Ledger;
import io.phasegrid.proto.v1.Outcome;
import io.phasegrid.proto.v1.PhaseState;
import io.phasegrid.proto.v1.PollLeaseRequest;
import io.phasegrid.proto.v1.PollLeaseResponse;
import io.phasegrid.proto.v1.RegisterWorkerRequest;
import io.phasegrid.proto.v1.Run;
import io.phasegrid.proto.v1.RunOptions;
import io.phasegrid.proto.v1.RunPhase;
import io.phasegrid.proto.v1.RunState;
import io.phasegrid.proto.v1.SaveCheckpointRequest;
import io.phasegrid.proto.v1.StructuredPhase;
import io.phasegrid.proto.v1.StructuredRoadmap;
import io.phasegrid.proto.v1.SubmitRunRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4, section 5, scenarios 2 and 3: a worker process killed with SIGKILL while it holds leases, and a late
 * report from a killed lease's epoch. Workers run the shell executor with a script that sleeps, then logs the plan
 * as done, so the log holds exactly the plans that completed.
 */
class WorkerCrashIT {

    private static final long TOKENS_PER_PLAN = 100;
    private static final long PLAN_SLEEP_MS = 1_000;

    @TempDir
    static Path dir;

    @RegisterExtension
    static final ClusterPerClass CLUSTER = new ClusterPerClass("e2e-crash", () -> dir);

    static Path script;

    private static Cluster cluster() {
        return CLUSTER.get();
    }

    @BeforeAll
    static void writeScript() throws Exception {
        script = dir.resolve("plan.sh");
        // $1 plan id, $2 phase key; E2E_LOG and E2E_WORKER come from the worker's environment.
        Files.writeString(script, """
                #!/bin/sh
                echo "start $2 $1 $E2E_WORKER $(date +%%s%%3N)" >> "$E2E_LOG"
                sleep %s
                echo "done $2 $1 $E2E_WORKER" >> "$E2E_LOG"
                echo '{"tokens": %d}'
                """.formatted(PLAN_SLEEP_MS / 1000.0, TOKENS_PER_PLAN));
    }

    private static Cluster.Node shellWorker(String name, Path log, int slots) throws Exception {
        return cluster().startWorker(name, Map.of("E2E_LOG", log.toString(), "E2E_WORKER", name),
                "--slots", "" + slots, "--executor", "shell",
                "--command", "/bin/sh " + script + " {plan_id} {phase}");
    }

    private static StructuredPhase phase(String key, List<String> dependsOn, int plans) {
        StructuredPhase.Builder phase = StructuredPhase.newBuilder().setKey(key).setName("Phase " + key)
                .addAllDependsOn(dependsOn).setEstimatedTokens(3_000);
        for (int i = 1; i <= plans; i++) {
            phase.addPlans(key + "-0" + i);
        }
        return phase.build();
    }

    private static Run run(String runId) {
        return cluster().runs().getRun(GetRunRequest.newBuilder().setRunId(runId).build());
    }

    private static Ledger ledger() {
        return cluster().ledger().getLedger(GetLedgerRequest.getDefaultInstance());
    }

    /** A line of the plan log: {@code start PHASE PLAN WORKER MILLIS} or {@code done PHASE PLAN WORKER}. */
    private record Line(String kind, String phase, String plan, String worker, long at) {

        static List<Line> read(Path log) throws Exception {
            List<Line> lines = new ArrayList<>();
            if (!Files.exists(log)) {
                return lines;
            }
            for (String text : Files.readAllLines(log)) {
                String[] f = text.strip().split(" ");
                if (f.length >= 4) {
                    lines.add(new Line(f[0], f[1], f[2], f[3], f.length > 4 ? Long.parseLong(f[4]) : 0));
                }
            }
            return lines;
        }
    }

    /**
     * The moment to kill: the worker has finished at least one plan, and every phase it runs is in the middle of a
     * plan that started at least 250 ms ago (so the previous plan's checkpoint has reached the coordinator) and
     * will not end for another 250 ms.
     */
    private static Optional<String> victimReadyToKill(List<Line> lines, long now) {
        Optional<String> victim = lines.stream().filter(l -> l.kind().equals("done")).map(Line::worker).findFirst();
        if (victim.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Line> latestStart = new HashMap<>();
        Set<String> done = new HashSet<>();
        for (Line l : lines) {
            if (!l.worker().equals(victim.get())) {
                continue;
            }
            if (l.kind().equals("start")) {
                latestStart.put(l.phase(), l);
            } else {
                done.add(l.phase() + " " + l.plan());
            }
        }
        for (Line start : latestStart.values()) {
            long age = now - start.at();
            if (done.contains(start.phase() + " " + start.plan()) || age < 250 || age > PLAN_SLEEP_MS - 250) {
                return Optional.empty();
            }
        }
        return victim;
    }

    @Test
    void killedWorkersPhasesAreReleasedAndResumeFromTheirCheckpoints() throws Exception {
        Path log = dir.resolve("crash-plans.log");
        Map<String, Cluster.Node> workers = new HashMap<>();
        workers.put("crash-w1", shellWorker("crash-w1", log, 2));
        workers.put("crash-w2", shellWorker("crash-w2", log, 2));
        long ledgerUsedBefore = ledger().getUsed();

        StructuredRoadmap roadmap = StructuredRoadmap.newBuilder()
                .addPhases(phase("a", List.of(), 3))
                .addPhases(phase("b", List.of(), 3))
                .addPhases(phase("c", List.of(), 3))
                .addPhases(phase("d", List.of("a", "b", "c"), 2))
                .build();
        String runId = cluster().runs().submit(SubmitRunRequest.newBuilder().setIdempotencyKey("e2e-crash-kill")
                .setStructured(roadmap).setOptions(RunOptions.newBuilder().setMaxParallel(4)).build()).getRunId();

        String[] victim = new String[1];
        await("a worker in the middle of its phases' plans").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    victimReadyToKill(Line.read(log), System.currentTimeMillis()).ifPresent(v -> victim[0] = v);
                    return victim[0] != null;
                });
        cluster().kill(workers.get(victim[0]));
        long killedAt = System.currentTimeMillis();
        List<Line> atKill = Line.read(log);
        Map<String, Integer> doneByVictim = new HashMap<>();
        Set<String> victimPhases = new HashSet<>();
        for (Line l : atKill) {
            if (l.worker().equals(victim[0])) {
                victimPhases.add(l.phase());
                if (l.kind().equals("done")) {
                    doneByVictim.merge(l.phase(), 1, Integer::sum);
                }
            }
        }
        assertThat(doneByVictim).as("the killed worker had finished plans").isNotEmpty();

        Cluster.Cli status = cluster().client("status", runId, "--wait", "--json");
        assertThat(status.exitCode()).as(status.toString()).isZero();
        JsonNode json = status.json();
        assertThat(json.get("state").asText()).isEqualTo("SUCCEEDED");

        // No plan ran to completion twice, and every plan did.
        List<String> done = Line.read(log).stream().filter(l -> l.kind().equals("done"))
                .map(l -> l.phase() + " " + l.plan()).toList();
        assertThat(done).as("completed plans").doesNotHaveDuplicates();
        assertThat(done).containsExactlyInAnyOrder("a a-01", "a a-02", "a a-03", "b b-01", "b b-02", "b b-03",
                "c c-01", "c c-02", "c c-03", "d d-01", "d d-02");

        Run run = run(runId);
        String story = "victim " + victim[0] + " killed at " + killedAt + "\nplan log:\n" + Files.readString(log)
                + "\nrun:\n" + status.stdout();
        long sum = 0;
        Map<String, Integer> plansOf = Map.of("a", 3, "b", 3, "c", 3, "d", 2);
        for (RunPhase phase : run.getPhasesList()) {
            String key = phase.getKey();
            assertThat(phase.getState()).as("state of %s", key).isEqualTo(PhaseState.PHASE_SUCCEEDED);
            int resumedFrom = doneByVictim.getOrDefault(key, 0);
            if (victimPhases.contains(key)) {
                assertThat(phase.getRequeues()).as("requeues of killed phase %s", key).isGreaterThanOrEqualTo(1);
                assertThat(phase.getWorker()).as("worker of killed phase %s", key).isNotEqualTo(victim[0]);
                assertThat(phase.getStartedAtMs()).as("re-leased no earlier than the TTL after the kill")
                        .isGreaterThanOrEqualTo(killedAt - Cluster.HEARTBEAT_MS);
            } else {
                assertThat(phase.getAttempts()).as("attempts of %s; %s", key, story).isEqualTo(1);
            }
            // Charged only the plans its last attempt ran: the killed attempt's checkpointed plans were skipped.
            assertThat(phase.getTokens()).as("tokens of %s", key)
                    .isEqualTo(TOKENS_PER_PLAN * (plansOf.get(key) - resumedFrom));
            sum += phase.getTokens();
        }
        assertThat(json.get("tokens").get("used").asLong()).isEqualTo(sum);
        Ledger ledger = ledger();
        assertThat(ledger.getUsed() - ledgerUsedBefore).as("ledger charges of this run").isEqualTo(sum);
        assertThat(ledger.getReserved()).as("no reservation left behind").isZero();
    }

    @Test
    void lateReportFromAnExpiredEpochIsRefusedAndChangesNothing() throws Exception {
        Path log = dir.resolve("late-plans.log");
        String me = cluster().workers().register(RegisterWorkerRequest.newBuilder().setName("e2e-silent").setSlots(1)
                .build()).getWorkerId();
        StructuredRoadmap roadmap = StructuredRoadmap.newBuilder().addPhases(phase("solo", List.of(), 2)).build();
        String runId = cluster().runs().submit(SubmitRunRequest.newBuilder().setIdempotencyKey("e2e-crash-late")
                .setStructured(roadmap).build()).getRunId();

        PollLeaseResponse polled = cluster().workers().pollLease(
                PollLeaseRequest.newBuilder().setWorkerId(me).setFreeSlots(1).setWaitMs(10_000).build());
        assertThat(polled.getLeasesList()).hasSize(1);
        Lease lease = polled.getLeases(0);
        assertThat(lease.getRunId()).isEqualTo(runId);
        LeaseRef stale = LeaseRef.newBuilder().setRunId(runId).setPhaseKey("solo").setEpoch(lease.getEpoch())
                .setWorkerId(me).build();

        // Silent past the TTL: the phase goes back to READY and a real worker process takes it and finishes it.
        shellWorker("late-w1", log, 1);
        await("the real worker finishes the phase").atMost(Duration.ofSeconds(60))
                .until(() -> run(runId).getState() == RunState.RUN_SUCCEEDED);
        Run before = run(runId);
        Ledger ledgerBefore = ledger();
        RunPhase solo = before.getPhases(0);
        assertThat(solo.getWorker()).isEqualTo("late-w1");
        assertThat(solo.getRequeues()).isEqualTo(1);
        assertThat(solo.getTokens()).isEqualTo(2 * TOKENS_PER_PLAN);

        StatusRuntimeException complete = catchThrowableOfType(StatusRuntimeException.class,
                () -> cluster().workers().completePhase(CompletePhaseRequest.newBuilder().setLease(stale)
                        .setOutcome(Outcome.OUTCOME_SUCCEEDED).setTokensUsed(12_345).build()));
        assertThat(complete).as("late CompletePhase").isNotNull();
        assertThat(complete.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        StatusRuntimeException failed = catchThrowableOfType(StatusRuntimeException.class,
                () -> cluster().workers().completePhase(CompletePhaseRequest.newBuilder().setLease(stale)
                        .setOutcome(Outcome.OUTCOME_FAILED).setTokensUsed(1).setError("late").build()));
        assertThat(failed).as("late failure report").isNotNull();
        assertThat(failed.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        StatusRuntimeException checkpoint = catchThrowableOfType(StatusRuntimeException.class,
                () -> cluster().workers().saveCheckpoint(SaveCheckpointRequest.newBuilder().setLease(stale)
                        .addCompletedPlans("solo-01").setTokensSoFar(50).build()));
        assertThat(checkpoint).as("late SaveCheckpoint").isNotNull();
        assertThat(checkpoint.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);

        assertThat(run(runId)).as("the run after the late reports").isEqualTo(before);
        assertThat(ledger()).as("the ledger after the late reports").isEqualTo(ledgerBefore);
    }
}
