package io.phasegrid.coordinator.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import com.hazelcast.core.HazelcastInstance;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.phasegrid.coordinator.hazelcast.MapNames;
import io.phasegrid.coordinator.lease.HazelcastWorkerGateway;
import io.phasegrid.coordinator.ledger.TokenLedger;
import io.phasegrid.coordinator.service.HazelcastRunCoordinator;
import io.phasegrid.coordinator.submit.SubmissionRejected;
import io.phasegrid.coordinator.testing.TestMembers;
import io.phasegrid.coordinator.testing.TestWorker;
import io.phasegrid.proto.v1.BundleFile;
import io.phasegrid.proto.v1.CancelRunRequest;
import io.phasegrid.proto.v1.GetRunRequest;
import io.phasegrid.proto.v1.ListRunsRequest;
import io.phasegrid.proto.v1.ListRunsResponse;
import io.phasegrid.proto.v1.PlanningBundle;
import io.phasegrid.proto.v1.RetryPolicy;
import io.phasegrid.proto.v1.RetryRunRequest;
import io.phasegrid.proto.v1.Run;
import io.phasegrid.proto.v1.RunOptions;
import io.phasegrid.proto.v1.RunServiceGrpc;
import io.phasegrid.proto.v1.RunState;
import io.phasegrid.proto.v1.SetRunBudgetRequest;
import io.phasegrid.proto.v1.StructuredPhase;
import io.phasegrid.proto.v1.StructuredRoadmap;
import io.phasegrid.proto.v1.SubmitRunRequest;
import io.phasegrid.proto.v1.WatchRunRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * RunService's contract for careless and hostile clients, over an in-process server backed by a real member: each
 * refusal has its status code and a bounded description, and claims nothing (the same idempotency key then makes a
 * run).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RunGrpcServiceTest {

    private HazelcastInstance member;
    private HazelcastRunCoordinator runs;
    private HazelcastWorkerGateway gateway;
    private CoordinatorServer server;
    private ManagedChannel channel;
    private RunServiceGrpc.RunServiceBlockingStub stub;

    @BeforeAll
    void start() throws Exception {
        member = TestMembers.start(TestMembers.privateCluster("run-grpc"));
        runs = new HazelcastRunCoordinator(member);
        gateway = new HazelcastWorkerGateway(member);
        String name = InProcessServerBuilder.generateName();
        server = new CoordinatorServer(InProcessServerBuilder.forName(name),
                List.of(new RunGrpcService(runs), new WorkerGrpcService(gateway))).start();
        channel = InProcessChannelBuilder.forName(name).build();
        stub = RunServiceGrpc.newBlockingStub(channel);
    }

    @AfterAll
    void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.close();
        gateway.close();
        runs.close();
        member.shutdown();
    }

    @BeforeEach
    void emptyMaps() {
        for (String map : List.of(MapNames.RUNS, MapNames.RUN_META, MapNames.LEDGER, MapNames.SUBMISSIONS)) {
            member.getMap(map).clear();
        }
    }

    private static StructuredPhase phase(String key, String... dependsOn) {
        return StructuredPhase.newBuilder().setKey(key).setName("Phase " + key).setEstimatedTokens(1_000)
                .addAllDependsOn(List.of(dependsOn)).build();
    }

    private static SubmitRunRequest structured(String key, StructuredPhase... phases) {
        return SubmitRunRequest.newBuilder().setIdempotencyKey(key)
                .setStructured(StructuredRoadmap.newBuilder().addAllPhases(List.of(phases))).build();
    }

    private static BundleFile file(String path, String content) {
        return BundleFile.newBuilder().setPath(path).setContent(ByteString.copyFromUtf8(content)).build();
    }

    private static final String ROADMAP = """
            # Roadmap: Small

            ## Phases

            - [ ] **Phase 1: Alpha** - first
            - [ ] **Phase 999.1: Someday** - backlog
            """;

    /** The refusal of {@code call}, asserted to carry {@code code} and a bounded description. */
    private static Status refused(Status.Code code, Runnable call) {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call::run);
        assertThat(e).as("the call was refused").isNotNull();
        assertThat(e.getStatus().getCode()).as(e.toString()).isEqualTo(code);
        assertThat(e.getStatus().getDescription()).isNotBlank().hasSizeLessThanOrEqualTo(GrpcCalls.MAX_DESCRIPTION + 1);
        return e.getStatus();
    }

    private void assertKeyStillFree(String key) {
        assertThat(stub.submit(structured(key, phase("ok"))).getCreated()).as("the refusal claimed %s", key).isTrue();
    }

    @Test
    void structuredPhasesWithBadKeysNamesOrDependenciesAreInvalidArgument() {
        List<List<StructuredPhase>> bad = List.of(
                List.of(phase("")),
                List.of(phase("a b")),
                List.of(phase("k".repeat(65))),
                List.of(phase("ключ")),
                List.of(phase("a"), phase("a")),
                List.of(phase("a", "nope")),
                List.of(phase("a", "a")),
                List.of(phase("a", "")),
                List.of(phase("a", "b"), phase("b", "a")),
                List.of(phase("a").toBuilder().setName("n".repeat(513)).build()),
                List.of(phase("a").toBuilder().setEstimatedTokens(-1).build()),
                List.of(phase("a").toBuilder().addPlans("bad plan").build()),
                List.of(phase("a").toBuilder().addAllDependsOn(java.util.Collections.nCopies(1_001, "b")).build(),
                        phase("b")));
        for (List<StructuredPhase> phases : bad) {
            refused(Status.Code.INVALID_ARGUMENT,
                    () -> stub.submit(structured("bad-structured", phases.toArray(StructuredPhase[]::new))));
        }
        assertThat(refused(Status.Code.INVALID_ARGUMENT, () -> stub.submit(structured("bad-structured", phase(""))))
                .getDescription()).contains("phase 1").contains("phase key is 1 to 64 characters");
        assertKeyStillFree("bad-structured");
    }

    @Test
    void aSubmissionWithoutARoadmapIsInvalidArgument() {
        refused(Status.Code.INVALID_ARGUMENT, () -> stub.submit(SubmitRunRequest.newBuilder()
                .setIdempotencyKey("empty").build()));
        assertThat(refused(Status.Code.INVALID_ARGUMENT, () -> stub.submit(structured("empty"))).getDescription())
                .contains("neither a bundle nor a structured roadmap");
        refused(Status.Code.INVALID_ARGUMENT, () -> stub.submit(SubmitRunRequest.newBuilder().setIdempotencyKey("empty")
                .setBundle(PlanningBundle.getDefaultInstance()).build()));
        assertThat(refused(Status.Code.INVALID_ARGUMENT, () -> stub.submit(SubmitRunRequest.newBuilder()
                .setIdempotencyKey("empty").setBundle(PlanningBundle.newBuilder()
                        .addFiles(file(".planning/STATE.md", "state"))).build())).getDescription())
                .contains("no .planning/ROADMAP.md");
        assertKeyStillFree("empty");
    }

    @Test
    void unknownEnumValuesAndNegativeOptionsAreRefusedNeverDefaulted() {
        List<UnaryOperator<RunOptions.Builder>> bad = List.of(
                o -> o.setScheduleValue(99),
                o -> o.setMaxParallel(-1),
                o -> o.setMaxParallel(10_001),
                o -> o.setBudgetTokens(-1),
                o -> o.setMinTokensPerPhase(-5),
                o -> o.setRetry(RetryPolicy.newBuilder().setMaxAttempts(-1)),
                o -> o.setRetry(RetryPolicy.newBuilder().setInitialBackoffMs(-1)),
                o -> o.setRetry(RetryPolicy.newBuilder().setMaxBackoffMs(-1)),
                o -> o.setRetry(RetryPolicy.newBuilder().setBackoffMultiplier(-1)),
                o -> o.setRetry(RetryPolicy.newBuilder().setBackoffMultiplier(Double.NaN)));
        for (UnaryOperator<RunOptions.Builder> options : bad) {
            SubmitRunRequest request = structured("bad-options", phase("a")).toBuilder()
                    .setOptions(options.apply(RunOptions.newBuilder())).build();
            assertThat(refused(Status.Code.INVALID_ARGUMENT, () -> stub.submit(request)).getDescription())
                    .as("%s", request.getOptions()).contains("options.");
        }
        assertKeyStillFree("bad-options");

        refused(Status.Code.INVALID_ARGUMENT, () -> stub.listRuns(ListRunsRequest.newBuilder().addStatesValue(99)
                .build()));
        refused(Status.Code.INVALID_ARGUMENT, () -> stub.listRuns(ListRunsRequest.newBuilder()
                .addStates(RunState.RUN_STATE_UNSPECIFIED).build()));
        refused(Status.Code.INVALID_ARGUMENT, () -> stub.listRuns(ListRunsRequest.newBuilder().setPageSize(-1)
                .build()));
        refused(Status.Code.INVALID_ARGUMENT, () -> stub.listRuns(limit(-1)));
    }

    @SuppressWarnings("deprecation")
    private static ListRunsRequest limit(int limit) {
        return ListRunsRequest.newBuilder().setLimit(limit).build();
    }

    @Test
    void includeBacklogNamingNoBacklogPhaseIsRefusedForBundleAndStructuredAlike() {
        RunOptions nope = RunOptions.newBuilder().addIncludeBacklog("nope").build();
        assertThat(refused(Status.Code.INVALID_ARGUMENT, () -> stub.submit(structured("backlog", phase("a"))
                .toBuilder().setOptions(nope).build())).getDescription()).contains("nope");
        assertThat(refused(Status.Code.INVALID_ARGUMENT, () -> stub.submit(SubmitRunRequest.newBuilder()
                .setIdempotencyKey("backlog").setOptions(nope)
                .setBundle(PlanningBundle.newBuilder().addFiles(file(".planning/ROADMAP.md", ROADMAP))).build()))
                .getDescription()).contains("nope");
        // a key that is a backlog phase of the bundle is accepted
        assertThat(stub.submit(SubmitRunRequest.newBuilder().setIdempotencyKey("backlog")
                .setOptions(RunOptions.newBuilder().addIncludeBacklog("999.1"))
                .setBundle(PlanningBundle.newBuilder().addFiles(file(".planning/ROADMAP.md", ROADMAP))).build())
                .getRun().getPhasesList()).extracting(p -> p.getKey()).containsExactly("01", "999.1");
    }

    @Test
    void overLongStringsAreInvalidArgumentBeforeAnyWorkAndQuoteLittle() {
        String huge = "x".repeat(64 * 1024);
        List<Runnable> calls = List.of(
                () -> stub.getRun(GetRunRequest.newBuilder().setRunId(huge).build()),
                () -> stub.cancelRun(CancelRunRequest.newBuilder().setRunId(huge).build()),
                () -> stub.retryRun(RetryRunRequest.newBuilder().setRunId(huge).build()),
                () -> stub.setRunBudget(SetRunBudgetRequest.newBuilder().setRunId(huge).build()),
                () -> stub.watchRun(WatchRunRequest.newBuilder().setRunId(huge).build()).hasNext(),
                () -> stub.listRuns(ListRunsRequest.newBuilder().setPageToken(huge).build()),
                () -> stub.submit(structured(huge, phase("a"))),
                () -> stub.submit(structured("long", phase("a")).toBuilder().setName(huge).build()),
                () -> stub.submit(structured("long", phase(huge))),
                () -> stub.submit(structured("long", phase("a")).toBuilder()
                        .setOptions(RunOptions.newBuilder().addIncludeBacklog(huge)).build()),
                () -> stub.submit(SubmitRunRequest.newBuilder().setIdempotencyKey("long").setBundle(PlanningBundle
                        .newBuilder().addFiles(file(".planning/" + huge, "x"))).build()));
        for (Runnable call : calls) {
            Status status = refused(Status.Code.INVALID_ARGUMENT, call);
            assertThat(status.getDescription()).hasSizeLessThan(300).doesNotContain("x".repeat(201));
        }
        assertKeyStillFree("long");
        // at the limit is fine (and then simply unknown)
        refused(Status.Code.NOT_FOUND, () -> stub.getRun(GetRunRequest.newBuilder().setRunId("r".repeat(128))
                .build()));
    }

    @Test
    void everyStatusDescriptionIsBounded() {
        String huge = "y".repeat(64 * 1024);
        for (Exception e : List.of(new IllegalArgumentException(huge), new IllegalStateException(huge),
                new io.phasegrid.coordinator.service.RunNotFoundException(huge),
                Status.NOT_FOUND.withDescription(huge).asRuntimeException())) {
            String description = GrpcCalls.toStatus(e).getStatus().getDescription();
            assertThat(description).hasSize(GrpcCalls.MAX_DESCRIPTION + 1).endsWith("…");
        }
        assertThat(GrpcCalls.toStatus(new SubmissionRejected(SubmissionRejected.Reason.EMPTY, "no roadmap"))
                .getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    }

    @Test
    void listRunsPagesNewestFirstAndNewSubmissionsNeverShiftAPage() {
        List<String> submitted = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            submitted.add(0, stub.submit(structured("page-" + i, phase("a"))).getRunId());
        }
        ListRunsResponse first = stub.listRuns(ListRunsRequest.newBuilder().setPageSize(2).build());
        stub.submit(structured("page-late-1", phase("a")));
        ListRunsResponse second = stub.listRuns(ListRunsRequest.newBuilder().setPageSize(2)
                .setPageToken(first.getNextPageToken()).build());
        stub.submit(structured("page-late-2", phase("a")));
        ListRunsResponse third = stub.listRuns(ListRunsRequest.newBuilder().setPageSize(2)
                .setPageToken(second.getNextPageToken()).build());

        List<String> listed = new ArrayList<>();
        for (ListRunsResponse page : List.of(first, second, third)) {
            page.getRunsList().forEach(r -> listed.add(r.getRunId()));
        }
        assertThat(first.getRunsCount()).isEqualTo(2);
        assertThat(second.getRunsCount()).isEqualTo(2);
        assertThat(third.getNextPageToken()).as("the last page").isEmpty();
        assertThat(listed).containsExactlyElementsOf(submitted);

        assertThat(stub.listRuns(ListRunsRequest.getDefaultInstance()).getRunsCount()).isEqualTo(7);
        assertThat(stub.listRuns(ListRunsRequest.newBuilder().setPageSize(5_000).build()).getRunsCount())
                .as("over the maximum is the maximum").isEqualTo(7);
        assertThat(stub.listRuns(limit(3)).getRunsCount()).as("the deprecated limit").isEqualTo(3);
        assertThat(refused(Status.Code.INVALID_ARGUMENT, () -> stub.listRuns(ListRunsRequest.newBuilder()
                .setPageToken("not-a-token").build())).getDescription()).contains("page_token");
        assertThat(refused(Status.Code.INVALID_ARGUMENT, () -> stub.listRuns(ListRunsRequest.newBuilder()
                .addStates(RunState.RUN_QUEUED).setPageToken(first.getNextPageToken()).build())).getDescription())
                .contains("another states filter");
    }

    @Test
    void retryingASucceededRunIsFailedPrecondition() throws Exception {
        String runId = stub.submit(structured("retry-succeeded", phase("a"))).getRunId();
        new TestWorker(gateway, runs, "w-retry").drive(runId, Duration.ofSeconds(30));

        assertThat(refused(Status.Code.FAILED_PRECONDITION,
                () -> stub.retryRun(RetryRunRequest.newBuilder().setRunId(runId).build())).getDescription())
                .contains("nothing to retry");
        assertThat(stub.getRun(GetRunRequest.newBuilder().setRunId(runId).build()).getState())
                .isEqualTo(RunState.RUN_SUCCEEDED);
    }

    @Test
    void aRunPausedOnItsOwnBudgetResumesAfterSetRunBudgetAndSucceeds() throws Exception {
        String runId = stub.submit(structured("own-budget", phase("a"), phase("b", "a")).toBuilder()
                .setOptions(RunOptions.newBuilder().setBudgetTokens(500)).build()).getRunId();
        TestWorker worker = new TestWorker(gateway, runs, "w-budget");
        for (int poll = 0; poll < 100 && run(runId).getState() != RunState.RUN_PAUSED; poll++) {
            assertThat(gateway.poll(worker.workerId(), 4, 100)).as("nothing fits a budget of 500").isEmpty();
        }
        assertThat(run(runId).getState()).isEqualTo(RunState.RUN_PAUSED);
        assertThat(run(runId).getPauseReason()).isEqualTo("token_budget");

        // a budget that still cannot carry the next phase (1,000) changes the budget but leaves the run paused
        assertThat(stub.setRunBudget(SetRunBudgetRequest.newBuilder().setRunId(runId).setBudgetTokens(900).build())
                .getState()).isEqualTo(RunState.RUN_PAUSED);
        Run resumed = stub.setRunBudget(SetRunBudgetRequest.newBuilder().setRunId(runId).setBudgetTokens(5_000)
                .build());
        assertThat(resumed.getState()).isIn(RunState.RUN_QUEUED, RunState.RUN_RUNNING);
        assertThat(resumed.getTokens().getBudget()).isEqualTo(5_000);
        assertThat(resumed.getOptions().getBudgetTokens()).isEqualTo(5_000);

        worker.drive(runId, Duration.ofSeconds(30));
        Run done = run(runId);
        assertThat(done.getState()).isEqualTo(RunState.RUN_SUCCEEDED);
        assertThat(done.getTokens().getUsed()).isEqualTo(worker.tokensCharged).isEqualTo(200);
        assertThat(new TokenLedger(member).snapshot().used()).as("ledger used").isEqualTo(200);
        assertThat(new TokenLedger(member).snapshot().reserved()).as("ledger reserved").isZero();
    }

    @Test
    void setRunBudgetRefusesNegativeBudgetsAndUnknownRuns() {
        String runId = stub.submit(structured("budget-bad", phase("a"))).getRunId();
        refused(Status.Code.INVALID_ARGUMENT, () -> stub.setRunBudget(SetRunBudgetRequest.newBuilder()
                .setRunId(runId).setBudgetTokens(-1).build()));
        refused(Status.Code.NOT_FOUND, () -> stub.setRunBudget(SetRunBudgetRequest.newBuilder()
                .setRunId("r-000000000-nosuchrun").setBudgetTokens(10).build()));
        assertThat(stub.setRunBudget(SetRunBudgetRequest.newBuilder().setRunId(runId).setBudgetTokens(0).build())
                .getTokens().getBudget()).as("0 = no budget").isZero();
    }

    @Test
    void runPhasesTellInferredDependenciesFromDeclaredOnes() {
        String roadmap = """
                # Roadmap: Shared

                ## Phases

                - [ ] **Phase 1: Alpha** - first
                - [ ] **Phase 2: Beta** - second
                - [ ] **Phase 3: Gamma** - third

                ## Phase Details

                ### Phase 3: Gamma
                **Depends on**: Phase 1
                """;
        String plan = """
                ---
                files_modified: [src/shared.ts]
                ---
                # Plan
                """;
        Run run = stub.submit(SubmitRunRequest.newBuilder().setIdempotencyKey("inferred")
                .setBundle(PlanningBundle.newBuilder()
                        .addFiles(file(".planning/ROADMAP.md", roadmap))
                        .addFiles(file(".planning/phases/01-alpha/01-01-PLAN.md", plan))
                        .addFiles(file(".planning/phases/02-beta/02-01-PLAN.md", plan)))
                .build()).getRun();

        var beta = run.getPhases(1);
        var gamma = run.getPhases(2);
        assertThat(beta.getDependsOnList()).containsExactly("01");
        assertThat(beta.getInferredDependsOnList()).as("both modify src/shared.ts").containsExactly("01");
        assertThat(gamma.getDependsOnList()).containsExactly("01");
        assertThat(gamma.getInferredDependsOnList()).as("declared").isEmpty();
        // the same through GetRun (the stored record)
        assertThat(run(run.getRunId()).getPhases(1).getInferredDependsOnList()).containsExactly("01");
    }

    @Test
    void healthAnswersForTheServerAndForEachService() {
        HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel);
        for (String service : List.of("", "phasegrid.v1.RunService", "phasegrid.v1.WorkerService")) {
            assertThat(health.check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus())
                    .as("'%s'", service).isEqualTo(ServingStatus.SERVING);
        }
        refused(Status.Code.NOT_FOUND, () -> health.check(HealthCheckRequest.newBuilder().setService("nope")
                .build()));
    }

    private Run run(String runId) {
        return stub.getRun(GetRunRequest.newBuilder().setRunId(runId).build());
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
