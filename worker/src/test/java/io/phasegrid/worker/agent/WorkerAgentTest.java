package io.phasegrid.worker.agent;

import static io.phasegrid.worker.agent.ScriptedCoordinator.lease;
import static io.phasegrid.worker.agent.ScriptedCoordinator.plan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.phasegrid.proto.v1.CompletePhaseRequest;
import io.phasegrid.proto.v1.HeartbeatRequest;
import io.phasegrid.proto.v1.Lease;
import io.phasegrid.proto.v1.LeaseRef;
import io.phasegrid.proto.v1.Outcome;
import io.phasegrid.proto.v1.PollLeaseRequest;
import io.phasegrid.proto.v1.SaveCheckpointRequest;
import io.phasegrid.worker.executor.ExecutionListener;
import io.phasegrid.worker.executor.PhaseExecutor;
import io.phasegrid.worker.executor.PhaseOutcome;
import io.phasegrid.worker.executor.PhaseTask;
import io.phasegrid.worker.executor.SimulateExecutor;
import io.phasegrid.worker.executor.SimulateOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class WorkerAgentTest {

    private static final Duration LONG = Duration.ofSeconds(20);

    @TempDir
    Path workspaces;

    private ScriptedCoordinator coordinator;
    private final List<WorkerAgent> agents = new ArrayList<>();

    @AfterEach
    void stopEverything() throws Exception {
        for (WorkerAgent agent : agents) {
            agent.drain(Duration.ZERO);
        }
        if (coordinator != null) {
            coordinator.close();
        }
    }

    private WorkerOptions.Builder options(String name, List<String> addresses) {
        return WorkerOptions.builder()
                .name(name)
                .slots(2)
                .coordinators(addresses)
                .pollWait(Duration.ofMillis(200))
                .rpcTimeout(Duration.ofSeconds(2))
                .reconnectBackoff(new Backoff(Duration.ofMillis(50), 2.0, Duration.ofMillis(500), 0.2))
                .drainGrace(Duration.ofSeconds(5))
                .workspaceRoot(workspaces);
    }

    private WorkerAgent start(WorkerOptions options, PhaseExecutor executor) {
        WorkerAgent agent = new WorkerAgent(options, executor);
        agents.add(agent);
        return agent.start();
    }

    private WorkerAgent start(String name, int slots, PhaseExecutor executor) {
        return start(options(name, coordinator.addresses().subList(0, 1)).slots(slots).build(), executor);
    }

    private static SimulateExecutor instant() {
        return new SimulateExecutor(SimulateOptions.builder().timeScale(0).build());
    }

    private CompletePhaseRequest awaitCompletion(String phaseKey) {
        await().atMost(LONG).until(() -> !coordinator.completionsOf(phaseKey).isEmpty());
        return coordinator.completionsOf(phaseKey).get(0);
    }

    /** Waits for a heartbeat sent after this call that does not carry the phase. */
    private void awaitHeartbeatWithout(String phaseKey) {
        int seen = coordinator.heartbeats.size();
        await().atMost(LONG).until(() -> coordinator.heartbeats.stream().skip(seen)
                .anyMatch(h -> h.getLeasesList().stream().noneMatch(l -> l.getPhaseKey().equals(phaseKey))));
    }

    private static List<String> agentThreads(WorkerAgent agent) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith(agent.threadNamePrefix()))
                .toList();
    }

    // ------------------------------------------------------------------------------------------ transports

    @Test
    void theUnaryLinkCarriesTheSameOperationsAsTheDefaultStream() {
        coordinator = ScriptedCoordinator.start(1);
        coordinator.offer(lease("01", 1_000, "01-01", "01-02"));
        WorkerAgent agent = new WorkerAgent(options("unary", coordinator.addresses().subList(0, 1)).build(),
                instant(), GrpcCoordinatorLink.factory(Duration.ofSeconds(2)));
        agents.add(agent);
        agent.start();

        CompletePhaseRequest done = awaitCompletion("01");

        assertThat(done.getOutcome()).isEqualTo(Outcome.OUTCOME_SUCCEEDED);
        // checkpoints are cumulative (one queued behind a newer one is skipped): the last names both plans
        assertThat(coordinator.checkpoints.get(coordinator.checkpoints.size() - 1).getCompletedPlansList())
                .containsExactly("01-01", "01-02");
    }

    @Test
    void completionsThatFinishWhileAReportIsInFlightGoInOneMessageAndEachIsAnsweredOnItsOwn() throws Exception {
        coordinator = ScriptedCoordinator.start(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        coordinator.refuseCompletionsAsStale(r -> {
            if (r.getLease().getPhaseKey().equals("01")) {
                try {
                    release.await(10, java.util.concurrent.TimeUnit.SECONDS); // holds the only report lane
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return r.getLease().getPhaseKey().equals("03"); // one report of the batch is refused
        });
        coordinator.offer(lease("01", 1_000));
        start("batcher", 1, instant()); // one slot: one report lane
        await().atMost(LONG).until(() -> coordinator.completions.size() == 1);
        for (String key : List.of("02", "03", "04")) {
            coordinator.offer(lease(key, 1_000));
        }
        await().atMost(LONG).until(() -> coordinator.polls.size() >= 4); // 02..04 ran while 01's report waited
        release.countDown();

        await().atMost(LONG).until(() -> coordinator.completions.size() == 4);
        assertThat(coordinator.calls).contains("0:CompleteAll(3)");
        assertThat(coordinator.completions).extracting(c -> c.getLease().getPhaseKey())
                .containsExactly("01", "02", "03", "04");
    }

    // ------------------------------------------------------------------------------------------ slots

    @Test
    void neverPollsForMoreSlotsThanItHasFree() {
        coordinator = ScriptedCoordinator.start(1);
        TestExecutors.Counting executor = new TestExecutors.Counting(
                new SimulateExecutor(SimulateOptions.builder().timeScale(50).build())); // 2,000 tokens = 100 ms
        List<String> overcommitted = new CopyOnWriteArrayList<>();
        coordinator.onPoll(poll -> {
            // every running phase holds a slot, so the slots polled for are free ones
            if (poll.getFreeSlots() + executor.running.get() > 2) {
                overcommitted.add(poll.getFreeSlots() + " polled while " + executor.running.get() + " ran");
            }
            return null;
        });
        for (int i = 1; i <= 7; i++) {
            coordinator.offer(lease("0" + i, 2_000));
        }

        start("slots", 2, executor);

        await().atMost(LONG).until(() -> coordinator.completions.size() == 7);
        assertThat(coordinator.polls).extracting(PollLeaseRequest::getFreeSlots).allSatisfy(
                free -> assertThat(free).isBetween(1, 2));
        assertThat(overcommitted).isEmpty();
        assertThat(executor.maxRunning.get()).isEqualTo(2);
        assertThat(coordinator.completions).extracting(CompletePhaseRequest::getOutcome)
                .containsOnly(Outcome.OUTCOME_SUCCEEDED);
    }

    @Test
    void registersWithItsNameSlotsAndLabels() {
        coordinator = ScriptedCoordinator.start(1);

        WorkerAgent agent = start(options("labelled", coordinator.addresses()).slots(3)
                .labels(java.util.Map.of("executor", "simulate")).build(), instant());

        await().atMost(LONG).until(() -> agent.workerId().isPresent());
        assertThat(agent.workerId()).contains("w-labelled");
        assertThat(coordinator.registrations.get(0).getSlots()).isEqualTo(3);
        assertThat(coordinator.registrations.get(0).getLabelsMap()).containsEntry("executor", "simulate");
        await().atMost(LONG).until(() -> !coordinator.heartbeats.isEmpty());
        assertThat(coordinator.heartbeats.get(0).getWorkerId()).isEqualTo("w-labelled");
        assertThat(coordinator.heartbeats.get(0).getSlots()).isEqualTo(3);
    }

    // ------------------------------------------------------------------------------------------ checkpoints

    @Test
    void checkpointsAfterEachPlanWithTheCumulativeCompletedPlans() {
        coordinator = ScriptedCoordinator.start(1);
        coordinator.offer(lease("07", 10_000, "07-01", "07-02", "07-03"));
        // 100 ms per plan: each checkpoint is sent before the next plan ends (a queued one is superseded by a newer)
        SimulateExecutor executor = new SimulateExecutor(SimulateOptions.builder().timeScale(30).build());

        start("checkpoints", 2, executor);

        CompletePhaseRequest completion = awaitCompletion("07");
        List<SaveCheckpointRequest> checkpoints = coordinator.checkpointsOf("07");
        assertThat(checkpoints).extracting(c -> List.copyOf(c.getCompletedPlansList())).containsExactly(
                List.of("07-01"), List.of("07-01", "07-02"), List.of("07-01", "07-02", "07-03"));
        assertThat(checkpoints).extracting(SaveCheckpointRequest::getTokensSoFar).containsExactly(3_334L, 6_667L, 10_000L);
        assertThat(checkpoints).extracting(SaveCheckpointRequest::getLease).extracting(LeaseRef::getEpoch)
                .containsOnly(1L);
        assertThat(completion.getOutcome()).isEqualTo(Outcome.OUTCOME_SUCCEEDED);
        assertThat(completion.getTokensUsed()).isEqualTo(10_000);
        assertThat(coordinator.calls.indexOf("0:CompletePhase"))
                .isGreaterThan(coordinator.calls.lastIndexOf("0:SaveCheckpoint"));
    }

    @Test
    void aReLeasedPhaseSkipsThePlansItsCheckpointCompleted() {
        coordinator = ScriptedCoordinator.start(1);
        Lease resumed = lease("07", 10).toBuilder()
                .setEpoch(2)
                .setAttempt(2)
                .addPlans(plan("07-01", true))
                .addPlans(plan("07-02", true))
                .addPlans(plan("07-03", false))
                .setCheckpoint(ByteString.copyFromUtf8("session-42"))
                .build();
        coordinator.offer(resumed);
        TestExecutors.Counting executor = new TestExecutors.Counting(instant());

        start("resume", 2, executor);

        CompletePhaseRequest completion = awaitCompletion("07");
        assertThat(coordinator.checkpointsOf("07")).singleElement().satisfies(c -> {
            assertThat(c.getCompletedPlansList()).containsExactly("07-01", "07-02", "07-03");
            assertThat(c.getBlob().toStringUtf8()).isEqualTo("session-42");
            assertThat(c.getLease().getEpoch()).isEqualTo(2);
        });
        assertThat(completion.getTokensUsed()).as("only the share of 07-03 is charged").isEqualTo(3);
    }

    // ------------------------------------------------------------------------------------------ outcomes

    @Test
    void theCompletionCarriesTheOutcomeAndTheTokensOfTheAttempt() {
        coordinator = ScriptedCoordinator.start(1);
        coordinator.offer(lease("07", 500), lease("08", 700, "08-01"));
        SimulateExecutor executor = new SimulateExecutor(SimulateOptions.builder()
                .timeScale(0).failPhaseKeys(Set.of("08")).build());

        start("outcomes", 2, executor);

        CompletePhaseRequest succeeded = awaitCompletion("07");
        assertThat(succeeded.getOutcome()).isEqualTo(Outcome.OUTCOME_SUCCEEDED);
        assertThat(succeeded.getTokensUsed()).isEqualTo(500);
        assertThat(succeeded.getError()).isEmpty();
        CompletePhaseRequest failed = awaitCompletion("08");
        assertThat(failed.getOutcome()).isEqualTo(Outcome.OUTCOME_FAILED);
        assertThat(failed.getError()).contains("simulated failure of phase 08");
        assertThat(failed.getLease().getRunId()).isEqualTo("run-1");
    }

    @Test
    void runsEachPhaseInAWorkspaceOfItsRunPhaseAndLeaseEpoch() {
        coordinator = ScriptedCoordinator.start(1);
        coordinator.offer(lease("07", 1));
        List<Path> seen = new CopyOnWriteArrayList<>();
        PhaseExecutor executor = (task, listener) -> {
            seen.add(task.workspace());
            return PhaseOutcome.succeeded(1);
        };

        start("workspace", 1, executor);

        awaitCompletion("07");
        assertThat(seen).containsExactly(workspaces.resolve("run-1").resolve("07").resolve("e1"));
        assertThat(workspaces.resolve("run-1").resolve("07").resolve("e1")).isDirectory();
    }

    @Test
    void createsNoWorkspaceForAnExecutorThatWritesNoFiles() {
        coordinator = ScriptedCoordinator.start(1);
        coordinator.offer(lease("07", 1));
        List<Path> seen = new CopyOnWriteArrayList<>();
        PhaseExecutor executor = new PhaseExecutor() {
            @Override
            public PhaseOutcome execute(PhaseTask task, ExecutionListener listener) {
                seen.add(task.workspace());
                return PhaseOutcome.succeeded(1);
            }

            @Override
            public boolean needsWorkspace() {
                return false;
            }
        };

        start("no-workspace", 1, executor);

        assertThat(awaitCompletion("07").getOutcome()).isEqualTo(Outcome.OUTCOME_SUCCEEDED);
        assertThat(seen).containsExactly(workspaces.resolve("run-1").resolve("07").resolve("e1"));
        assertThat(workspaces.resolve("run-1")).doesNotExist();
    }

    // ------------------------------------------------------------------------------------------ heartbeats

    @Test
    void aLostLeaseStopsThePhaseWithoutAReportAndFreesItsSlot() {
        coordinator = ScriptedCoordinator.start(1);
        TestExecutors.Gated gated = new TestExecutors.Gated();
        TestExecutors.Counting executor = new TestExecutors.Counting(gated);
        coordinator.offer(lease("07", 100));
        start("lost", 1, executor);
        await().atMost(LONG).until(() -> executor.started.contains("07"));
        await().atMost(LONG).until(() -> coordinator.heartbeats.stream()
                .anyMatch(h -> h.getLeasesCount() == 1 && h.getBusySlots() == 1));

        coordinator.loseLease("07");

        await().atMost(LONG).until(() -> "ABANDONED".equals(executor.ended.get("07")));
        awaitHeartbeatWithout("07");
        gated.open("08");
        coordinator.offer(lease("08", 100));
        assertThat(awaitCompletion("08").getOutcome()).as("the single slot was given back")
                .isEqualTo(Outcome.OUTCOME_SUCCEEDED);
        assertThat(coordinator.completionsOf("07")).isEmpty();
    }

    @Test
    void aCancelledRunStopsThePhaseAndReportsItAbandoned() {
        coordinator = ScriptedCoordinator.start(1);
        TestExecutors.Counting executor = new TestExecutors.Counting(new TestExecutors.Gated());
        coordinator.offer(lease("07", 100));
        start("cancel", 1, executor);
        await().atMost(LONG).until(() -> executor.started.contains("07"));

        coordinator.cancelRunOf("07");

        CompletePhaseRequest completion = awaitCompletion("07");
        assertThat(completion.getOutcome()).isEqualTo(Outcome.OUTCOME_ABANDONED);
        assertThat(executor.ended).containsEntry("07", "ABANDONED");
    }

    @Test
    void aHeartbeatCarriesEveryHeldLease() {
        coordinator = ScriptedCoordinator.start(1);
        TestExecutors.Gated gated = new TestExecutors.Gated();
        coordinator.offer(lease("07", 100), lease("08", 100));
        start("heartbeat", 2, gated);

        await().atMost(LONG).until(() -> coordinator.heartbeats.stream().anyMatch(h -> h.getLeasesCount() == 2));
        HeartbeatRequest both = coordinator.heartbeats.stream().filter(h -> h.getLeasesCount() == 2)
                .findFirst().orElseThrow();
        assertThat(both.getLeasesList()).extracting(LeaseRef::getPhaseKey).containsExactlyInAnyOrder("07", "08");
        assertThat(both.getSlots()).isEqualTo(2);
        gated.open("07");
        gated.open("08");
        awaitCompletion("07");
        awaitCompletion("08");
        awaitHeartbeatWithout("07");
    }

    // ------------------------------------------------------------------------------------------ refusals

    @Test
    void aCompletionRefusedForAStaleEpochIsDroppedAndNeverRetried() {
        coordinator = ScriptedCoordinator.start(1);
        coordinator.refuseCompletionsAsStale(c -> c.getLease().getPhaseKey().equals("07"));
        coordinator.offer(lease("07", 100));
        start("stale", 1, instant());

        awaitCompletion("07");
        awaitHeartbeatWithout("07");
        coordinator.offer(lease("08", 100));
        awaitCompletion("08");

        assertThat(coordinator.completionsOf("07")).hasSize(1);
    }

    @Test
    void aCheckpointRefusedForAStaleEpochStopsThePhaseWithoutAReport() {
        coordinator = ScriptedCoordinator.start(1);
        coordinator.refuseCheckpointsAsStale(c -> true);
        TestExecutors.Counting executor = new TestExecutors.Counting(
                new SimulateExecutor(SimulateOptions.builder().timeScale(100).build())); // 1,000 tokens = 100 ms
        coordinator.offer(lease("07", 30_000, "07-01", "07-02", "07-03"));
        start("stale-checkpoint", 1, executor);

        await().atMost(LONG).until(() -> executor.ended.containsKey("07"));
        awaitHeartbeatWithout("07");

        assertThat(executor.ended).containsEntry("07", "ABANDONED");
        assertThat(coordinator.checkpointsOf("07")).hasSize(1);
        assertThat(coordinator.completionsOf("07")).isEmpty();
    }

    // ------------------------------------------------------------------------------------------ reconnect

    @Test
    void aPhaseThatFinishedWhileTheCoordinatorWasAwayIsReportedWhenItReturns() throws Exception {
        coordinator = ScriptedCoordinator.start(1);
        coordinator.leaseTtlMs = 60_000; // the outage is shorter than the TTL: the phase keeps its lease
        TestExecutors.Gated gated = new TestExecutors.Gated();
        TestExecutors.Counting executor = new TestExecutors.Counting(gated);
        coordinator.offer(lease("07", 100));
        start("restart", 1, executor);
        await().atMost(LONG).until(() -> executor.started.contains("07"));

        coordinator.stop(0);
        gated.open("07");
        await().atMost(LONG).until(() -> "SUCCEEDED".equals(executor.ended.get("07")));
        coordinator.restart(0);

        CompletePhaseRequest completion = awaitCompletion("07");
        assertThat(completion.getOutcome()).isEqualTo(Outcome.OUTCOME_SUCCEEDED);
        assertThat(completion.getTokensUsed()).isEqualTo(100);
        assertThat(coordinator.registrations).as("registered again after the restart").hasSizeGreaterThan(1);
    }

    @Test
    void aPhaseStillRunningWhenItsLeaseCouldNotBeRenewedForATtlIsStoppedWithoutAReport() throws Exception {
        coordinator = ScriptedCoordinator.start(1);
        TestExecutors.Gated gated = new TestExecutors.Gated();
        TestExecutors.Counting executor = new TestExecutors.Counting(gated);
        coordinator.offer(lease("07", 100));
        start("fenced", 1, executor);
        await().atMost(LONG).until(() -> executor.started.contains("07"));

        // the coordinator is unreachable for longer than the lease TTL: another worker may hold the phase now
        coordinator.stop(0);
        await().atMost(LONG).until(() -> executor.ended.containsKey("07"));
        coordinator.restart(0);
        gated.open("07");

        assertThat(executor.ended.get("07")).isEqualTo("ABANDONED");
        Thread.sleep(3 * ScriptedCoordinator.HEARTBEAT_MS);
        assertThat(coordinator.completionsOf("07")).as("a fenced phase is never reported").isEmpty();
    }

    @Test
    void failsOverToTheNextCoordinatorAndReportsThere() throws Exception {
        coordinator = ScriptedCoordinator.start(2);
        TestExecutors.Gated gated = new TestExecutors.Gated();
        TestExecutors.Counting executor = new TestExecutors.Counting(gated);
        coordinator.offer(lease("07", 100));
        start(options("failover", coordinator.addresses()).slots(1).build(), executor);
        await().atMost(LONG).until(() -> executor.started.contains("07"));
        assertThat(coordinator.calls).contains("0:Register").doesNotContain("1:Register");

        coordinator.stop(0);
        gated.open("07");

        CompletePhaseRequest completion = awaitCompletion("07");
        assertThat(completion.getOutcome()).isEqualTo(Outcome.OUTCOME_SUCCEEDED);
        assertThat(coordinator.calls).contains("1:Register", "1:CompletePhase");
    }

    @Test
    void anUnreachableFirstAddressIsSkipped() throws Exception {
        coordinator = ScriptedCoordinator.start(2);
        coordinator.stop(0);
        coordinator.offer(lease("07", 100));

        start(options("skip", coordinator.addresses()).build(), instant());

        assertThat(awaitCompletion("07").getOutcome()).isEqualTo(Outcome.OUTCOME_SUCCEEDED);
        assertThat(coordinator.calls).contains("1:Register").noneMatch(c -> c.startsWith("0:"));
    }

    // ------------------------------------------------------------------------------------------ drain, close

    @Test
    void drainLetsRunningPhasesFinishWithinTheGraceAndReportsTheRestAbandoned() {
        coordinator = ScriptedCoordinator.start(1);
        TestExecutors.Gated gated = new TestExecutors.Gated();
        TestExecutors.Counting executor = new TestExecutors.Counting(gated);
        coordinator.offer(lease("finishing", 100), lease("stuck", 100));
        WorkerAgent agent = start("drain", 2, executor);
        await().atMost(LONG).until(() -> executor.started.size() == 2);

        CompletableFuture<Void> drained = CompletableFuture.runAsync(() -> agent.drain(Duration.ofSeconds(2)));
        gated.open("finishing");
        drained.join();

        assertThat(awaitCompletion("finishing").getOutcome()).isEqualTo(Outcome.OUTCOME_SUCCEEDED);
        assertThat(awaitCompletion("stuck").getOutcome()).isEqualTo(Outcome.OUTCOME_ABANDONED);
        assertThat(executor.ended).containsEntry("stuck", "INTERRUPTED");
        coordinator.offer(lease("late", 100));
        assertThat(agentThreads(agent)).isEmpty();
        assertThat(coordinator.readyLeases()).as("no poll after the drain").isEqualTo(1);
    }

    @Test
    void closeStopsEveryThreadTheAgentStarted() {
        coordinator = ScriptedCoordinator.start(1);
        coordinator.offer(lease("07", 100, "07-01"), lease("08", 100));
        WorkerAgent agent = start("close", 2, instant());
        awaitCompletion("07");
        awaitCompletion("08");
        assertThat(agentThreads(agent)).contains(agent.threadNamePrefix() + "poller",
                agent.threadNamePrefix() + "heartbeat", agent.threadNamePrefix() + "reporter-0",
                agent.threadNamePrefix() + "reporter-1");

        agent.close();

        assertThat(agentThreads(agent)).isEmpty();
    }

    @Test
    void closeStopsAnAgentThatNeverReachedACoordinator() throws Exception {
        coordinator = ScriptedCoordinator.start(1);
        coordinator.stop(0);
        WorkerAgent agent = start("unreachable", 1, instant());
        await().atMost(LONG).until(() -> agentThreads(agent).size() >= 3);

        agent.close();

        assertThat(agentThreads(agent)).isEmpty();
        assertThat(agent.workerId()).isEmpty();
    }
}
