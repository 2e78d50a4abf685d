package io.phasegrid.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.phasegrid.proto.v1.BundleFile;
import io.phasegrid.proto.v1.CancelRunRequest;
import io.phasegrid.proto.v1.CompletePhaseRequest;
import io.phasegrid.proto.v1.CompletePhaseResponse;
import io.phasegrid.proto.v1.GetRunRequest;
import io.phasegrid.proto.v1.Lease;
import io.phasegrid.proto.v1.LeaseRef;
import io.phasegrid.proto.v1.Outcome;
import io.phasegrid.proto.v1.PhaseState;
import io.phasegrid.proto.v1.PlanningBundle;
import io.phasegrid.proto.v1.PollLeaseRequest;
import io.phasegrid.proto.v1.RegisterWorkerRequest;
import io.phasegrid.proto.v1.GetLedgerRequest;
import io.phasegrid.proto.v1.Ledger;
import io.phasegrid.proto.v1.ListRunsRequest;
import io.phasegrid.proto.v1.ListRunsResponse;
import io.phasegrid.proto.v1.RetryRunRequest;
import io.phasegrid.proto.v1.RunServiceGrpc;
import io.phasegrid.proto.v1.RunState;
import io.phasegrid.proto.v1.WorkerServiceGrpc;
import io.phasegrid.proto.v1.LedgerServiceGrpc;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import io.phasegrid.proto.v1.Run;
import io.phasegrid.proto.v1.RunOptions;
import io.phasegrid.proto.v1.StructuredPhase;
import io.phasegrid.proto.v1.StructuredRoadmap;
import io.phasegrid.proto.v1.SubmitRunRequest;
import io.phasegrid.proto.v1.SubmitRunResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4, section 5, scenario 6, and issue 9, section 2: hostile clients over gRPC (Netty) against a coordinator
 * process. Each refusal has its status code and a bounded description, and a normal run still succeeds afterwards
 * with the ledger exact.
 */
class HostileClientsIT {

    private static final String CYCLE = """
            # Roadmap: Cycle

            ## Phases

            - [ ] **Phase 1: Alpha** - first
            - [ ] **Phase 2: Beta** - second

            ## Phase Details

            ### Phase 1: Alpha
            **Goal**: alpha
            **Depends on**: Phase 2

            ### Phase 2: Beta
            **Goal**: beta
            **Depends on**: Phase 1
            """;

    @TempDir
    static Path dir;

    @RegisterExtension
    static final ClusterPerClass CLUSTER = new ClusterPerClass("e2e-hostile", () -> dir);

    private static Cluster cluster() {
        return CLUSTER.get();
    }

    private static Status.Code code(Runnable call) {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call::run);
        assertThat(e).as("the call was refused").isNotNull();
        return e.getStatus().getCode();
    }

    private static StatusRuntimeException refusal(Runnable call) {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call::run);
        assertThat(e).as("the call was refused").isNotNull();
        return e;
    }

    private static BundleFile file(String path, byte[] content) {
        return BundleFile.newBuilder().setPath(path).setContent(ByteString.copyFrom(content)).build();
    }

    private static SubmitRunRequest structured(String key, StructuredPhase... phases) {
        return SubmitRunRequest.newBuilder().setIdempotencyKey(key)
                .setStructured(StructuredRoadmap.newBuilder().addAllPhases(List.of(phases)))
                .setOptions(RunOptions.newBuilder().setMaxParallel(1))
                .build();
    }

    private static StructuredPhase phase(String key) {
        return StructuredPhase.newBuilder().setKey(key).setName("Phase " + key).setEstimatedTokens(1_000).build();
    }

    private static Run run(String runId) {
        return cluster().runs().getRun(GetRunRequest.newBuilder().setRunId(runId).build());
    }

    @Test
    void cycleIsInvalidArgumentNamingTheCycleAndItsLines() {
        StatusRuntimeException e = refusal(() -> cluster().runs().submit(SubmitRunRequest.newBuilder()
                .setIdempotencyKey("e2e-hostile-cycle")
                .setBundle(PlanningBundle.newBuilder()
                        .addFiles(file(".planning/ROADMAP.md", CYCLE.getBytes(StandardCharsets.UTF_8))))
                .build()));

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(e.getStatus().getDescription()).contains("cycle").contains("01 -> 02")
                .contains("ROADMAP.md:12").contains("ROADMAP.md:16");
        // Invalid input claims no idempotency key: the same key with a valid roadmap makes a run.
        assertThat(cluster().runs().submit(structured("e2e-hostile-cycle", phase("x"))).getCreated()).isTrue();
    }

    @Test
    void overSizeSubmissionsAreResourceExhausted() {
        byte[] seventeenMiB = new byte[17 << 20];
        Arrays.fill(seventeenMiB, (byte) 'x');
        StatusRuntimeException tooLargeFile = refusal(() -> cluster().runs().submit(SubmitRunRequest.newBuilder()
                .setIdempotencyKey("e2e-hostile-large-file")
                .setBundle(PlanningBundle.newBuilder().addFiles(file(".planning/ROADMAP.md", seventeenMiB)))
                .build()));
        assertThat(tooLargeFile.getStatus().getCode()).as(tooLargeFile.toString())
                .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);

        PlanningBundle.Builder many = PlanningBundle.newBuilder()
                .addFiles(file(".planning/ROADMAP.md", CYCLE.getBytes(StandardCharsets.UTF_8)));
        byte[] small = "# plan\n".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 20_001; i++) {
            many.addFiles(file(".planning/phases/01-alpha/01-" + i + "-PLAN.md", small));
        }
        StatusRuntimeException tooManyFiles = refusal(() -> cluster().runs().submit(SubmitRunRequest.newBuilder()
                .setIdempotencyKey("e2e-hostile-many-files").setBundle(many).build()));
        assertThat(tooManyFiles.getStatus().getCode()).as(tooManyFiles.toString())
                .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);

        // Past the server's message limit (32 MiB of files + 1 MiB): refused by gRPC itself, same code.
        StatusRuntimeException tooLargeMessage = refusal(() -> cluster().runs().submit(SubmitRunRequest.newBuilder()
                .setIdempotencyKey("e2e-hostile-large-message")
                .setBundle(PlanningBundle.newBuilder().addFiles(file(".planning/ROADMAP.md", seventeenMiB))
                        .addFiles(file(".planning/STATE.md", seventeenMiB)))
                .build()));
        assertThat(tooLargeMessage.getStatus().getCode()).as(tooLargeMessage.toString())
                .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);

        // The coordinator is still serving.
        assertThat(cluster().runs().submit(structured("e2e-hostile-after-large", phase("x"))).getCreated()).isTrue();
    }

    @Test
    void sameIdempotencyKeyTwiceGivesTheSameRun() {
        SubmitRunResponse first = cluster().runs().submit(structured("e2e-hostile-dup", phase("a"), phase("b")));
        SubmitRunResponse second = cluster().runs().submit(structured("e2e-hostile-dup", phase("a"), phase("b")));
        SubmitRunResponse different = cluster().runs().submit(structured("e2e-hostile-dup", phase("z")));

        assertThat(first.getCreated()).isTrue();
        assertThat(second.getCreated()).isFalse();
        assertThat(second.getRunId()).isEqualTo(first.getRunId());
        assertThat(different.getCreated()).isFalse();
        assertThat(different.getRunId()).as("the key names the run, whatever else is sent").isEqualTo(first.getRunId());
        assertThat(run(first.getRunId()).getPhasesList()).extracting(p -> p.getKey()).containsExactly("a", "b");
    }

    @Test
    void unknownRunIsNotFound() {
        String unknown = "r-000000000-nosuchrun";
        assertThat(code(() -> run(unknown))).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(code(() -> cluster().runs().cancelRun(CancelRunRequest.newBuilder().setRunId(unknown).build())))
                .isEqualTo(Status.Code.NOT_FOUND);
        assertThat(code(() -> cluster().runs().retryRun(RetryRunRequest.newBuilder().setRunId(unknown).build())))
                .isEqualTo(Status.Code.NOT_FOUND);
    }

    /** A lease and the worker that holds it. */
    private record HeldLease(String workerId, Lease lease) {
    }

    private static String register(String name) {
        return cluster().workers().register(RegisterWorkerRequest.newBuilder().setName(name).setSlots(1).build())
                .getWorkerId();
    }

    /** Registers {@code name}, submits a two-phase run (max parallel 1) and takes the lease of its first phase. */
    private static HeldLease leaseAs(String name, String key) {
        String worker = register(name);
        String runId = cluster().runs().submit(structured(key, phase("first"), phase("second"))).getRunId();
        // other tests' runs share this coordinator: leases of theirs are handed back until ours comes
        for (int poll = 0; poll < 50; poll++) {
            List<Lease> leases = cluster().workers().pollLease(PollLeaseRequest.newBuilder().setWorkerId(worker)
                    .setFreeSlots(1).setWaitMs(10_000).build()).getLeasesList();
            assertThat(leases).hasSize(1);
            Lease lease = leases.get(0);
            if (lease.getRunId().equals(runId)) {
                return new HeldLease(worker, lease);
            }
            cancel(lease.getRunId());
        }
        throw new AssertionError("no lease of run " + runId + " in 50 polls");
    }

    private static CompletePhaseRequest complete(String workerId, String runId, String phase, long epoch) {
        return CompletePhaseRequest.newBuilder()
                .setLease(LeaseRef.newBuilder().setRunId(runId).setPhaseKey(phase).setEpoch(epoch)
                        .setWorkerId(workerId))
                .setOutcome(Outcome.OUTCOME_SUCCEEDED).setTokensUsed(777).build();
    }

    @Test
    void workerCompletingALeaseItDoesNotHoldIsRefusedAndChangesNothing() {
        HeldLease honest = leaseAs("e2e-honest", "e2e-hostile-lease");
        Lease held = honest.lease();
        String runId = held.getRunId();
        String other = held.getPhaseKey().equals("first") ? "second" : "first";
        String hostile = register("e2e-hostile");
        Run before = run(runId);

        List<Supplier<CompletePhaseRequest>> forged = List.of(
                () -> complete(hostile, runId, held.getPhaseKey(), held.getEpoch() + 1), // an epoch never granted
                () -> complete(hostile, runId, held.getPhaseKey(), held.getEpoch() - 1), // an older epoch
                () -> complete(hostile, runId, other, 1),                                // a phase nobody leased
                () -> complete(hostile, runId, "no-such-phase", 1),                      // a phase not in the run
                () -> complete("", runId, held.getPhaseKey(), held.getEpoch()),          // naming no worker
                () -> complete("w-made-up", runId, held.getPhaseKey(), held.getEpoch())); // an unknown worker
        for (Supplier<CompletePhaseRequest> request : forged) {
            assertThat(code(() -> cluster().workers().completePhase(request.get())))
                    .as("%s", request.get().getLease()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        }
        assertThat(run(runId)).as("the run after the refused reports").isEqualTo(before);

        // The holder's own report still goes through.
        CompletePhaseResponse own = cluster().workers().completePhase(complete(honest.workerId(), runId,
                held.getPhaseKey(), held.getEpoch()));
        assertThat(own.getPhaseState()).isEqualTo(PhaseState.PHASE_SUCCEEDED);
        cancel(runId); // its second phase would otherwise wait for the next test's poll
    }

    private static void cancel(String runId) {
        cluster().runs().cancelRun(CancelRunRequest.newBuilder().setRunId(runId).build());
    }

    @Test
    void workerCompletingAnotherWorkersLiveLeaseIsRefused() {
        HeldLease honest = leaseAs("e2e-honest-2", "e2e-hostile-steal");
        Lease held = honest.lease();
        String thief = register("e2e-thief");
        Run before = run(held.getRunId());

        // The thief sends the honest worker's exact lease under its own worker id.
        assertThat(code(() -> cluster().workers().completePhase(complete(thief, held.getRunId(), held.getPhaseKey(),
                held.getEpoch())))).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(run(held.getRunId())).isEqualTo(before);
        assertThat(cluster().workers().completePhase(complete(honest.workerId(), held.getRunId(), held.getPhaseKey(),
                held.getEpoch())).getPhaseState()).isEqualTo(PhaseState.PHASE_SUCCEEDED);
        cancel(held.getRunId());
    }

    // ---------------------------------------------------------------------------------------------- issue 9

    /** Longest status description the coordinator answers. */
    private static final int MAX_DESCRIPTION = 513;

    private static Status refused(Status.Code expected, Runnable call) {
        StatusRuntimeException e = refusal(call);
        assertThat(e.getStatus().getCode()).as(e.toString()).isEqualTo(expected);
        assertThat(e.getStatus().getDescription()).isNotBlank().hasSizeLessThanOrEqualTo(MAX_DESCRIPTION);
        return e.getStatus();
    }

    /** A run of two phases submitted now succeeds on a simulate worker, and the ledger equals what runs used. */
    private static void aNormalRunStillSucceeds(String key) throws Exception {
        cluster().startWorker("e2e-hostile-" + key, "--slots", "2", "--executor", "simulate", "--time-scale", "10");
        String runId = cluster().runs().submit(structured(key, phase("one"), phase("two"))).getRunId();
        Cluster.Cli wait = cluster().client("status", runId, "--wait", "--json");
        assertThat(wait.exitCode()).as(wait.toString()).isZero();
        assertThat(wait.json().get("state").asText()).isEqualTo("SUCCEEDED");
        assertLedgerExact();
    }

    /** The ledger's used equals the sum of every run's used once nothing is reserved (bounded wait to settle). */
    private static void assertLedgerExact() throws InterruptedException {
        long runsUsed = -1;
        Ledger ledger = null;
        for (int attempt = 0; attempt < 300; attempt++) {
            ledger = cluster().ledger().getLedger(GetLedgerRequest.getDefaultInstance());
            runsUsed = 0;
            long runsReserved = 0;
            String token = "";
            do {
                ListRunsResponse page = cluster().runs().listRuns(ListRunsRequest.newBuilder().setPageSize(1_000)
                        .setPageToken(token).build());
                for (Run r : page.getRunsList()) {
                    runsUsed += r.getTokens().getUsed();
                    runsReserved += r.getTokens().getReserved();
                }
                token = page.getNextPageToken();
            } while (!token.isEmpty());
            if (runsReserved == 0 && ledger.getReserved() == 0 && ledger.getUsed() == runsUsed) {
                return;
            }
            Thread.sleep(100);
        }
        assertThat(ledger.getUsed()).as("ledger used vs the runs' used").isEqualTo(runsUsed);
    }

    private enum RawBytes implements MethodDescriptor.Marshaller<byte[]> {
        INSTANCE;

        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    private static Status rawCall(MethodDescriptor<?, ?> method, byte[] body) throws Exception {
        ClientCall<byte[], byte[]> call = cluster().channel().newCall(
                method.toBuilder(RawBytes.INSTANCE, RawBytes.INSTANCE).build(),
                CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS));
        CompletableFuture<Status> closed = new CompletableFuture<>();
        call.start(new ClientCall.Listener<>() {
            @Override
            public void onClose(Status status, Metadata trailers) {
                closed.complete(status);
            }
        }, new Metadata());
        call.request(1);
        call.sendMessage(body);
        call.halfClose();
        return closed.get(30, TimeUnit.SECONDS);
    }

    @Test
    void garbageBodiesAndRunIdsThatAreNotUtf8AreInvalidArgumentOnEveryService() throws Exception {
        byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f, 0x07};
        for (MethodDescriptor<?, ?> method : List.of(RunServiceGrpc.getSubmitMethod(),
                RunServiceGrpc.getWatchRunMethod(), WorkerServiceGrpc.getConnectMethod(),
                WorkerServiceGrpc.getPollLeaseMethod(), LedgerServiceGrpc.getTopUpMethod())) {
            Status status = rawCall(method, garbage);
            assertThat(status.getCode()).as("%s: %s", method.getFullMethodName(), status)
                    .isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(status.getDescription()).contains("is not a valid").hasSizeLessThan(300);
        }
        Status notUtf8 = rawCall(RunServiceGrpc.getGetRunMethod(), new byte[] {0x0a, 0x02, (byte) 0xc3, 0x28});
        assertThat(notUtf8.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(notUtf8.getDescription()).contains("UTF-8");
        assertThat(cluster().logs()).doesNotContain("Application error processing RPC");
        aNormalRunStillSucceeds("e2e-hostile-after-garbage");
    }

    @Test
    void aHugeRunIdIsRefusedPromptlyWithAShortMessageAndTheChannelStillWorks() throws Exception {
        String huge = "r-" + "x".repeat(64 * 1024);
        for (Runnable call : List.<Runnable>of(
                () -> cluster().runs().getRun(GetRunRequest.newBuilder().setRunId(huge).build()),
                () -> cluster().runs().cancelRun(CancelRunRequest.newBuilder().setRunId(huge).build()),
                () -> cluster().runs().submit(structured(huge, phase("x"))),
                () -> cluster().runs().submit(structured("e2e-hostile-long-key", phase(huge))))) {
            Status status = refused(Status.Code.INVALID_ARGUMENT, call);
            assertThat(status.getDescription()).doesNotContain("x".repeat(201));
        }
        assertThat(cluster().ledger().getLedger(GetLedgerRequest.getDefaultInstance())).isNotNull();
        aNormalRunStillSucceeds("e2e-hostile-after-huge");
    }

    @Test
    void emptyAndMalformedRoadmapsUnknownEnumsAndNegativeOptionsAreInvalidArgument() throws Exception {
        List<Runnable> calls = List.of(
                () -> cluster().runs().submit(structured("e2e-hostile-bad", phase(""))),
                () -> cluster().runs().submit(structured("e2e-hostile-bad", phase("a b"))),
                () -> cluster().runs().submit(structured("e2e-hostile-bad")),
                () -> cluster().runs().submit(SubmitRunRequest.newBuilder().setIdempotencyKey("e2e-hostile-bad")
                        .build()),
                () -> cluster().runs().submit(SubmitRunRequest.newBuilder().setIdempotencyKey("e2e-hostile-bad")
                        .setBundle(PlanningBundle.getDefaultInstance()).build()),
                () -> cluster().runs().submit(SubmitRunRequest.newBuilder().setIdempotencyKey("e2e-hostile-bad")
                        .setBundle(PlanningBundle.newBuilder().addFiles(file(".planning/STATE.md",
                                "x".getBytes(StandardCharsets.UTF_8)))).build()),
                () -> cluster().runs().submit(structured("e2e-hostile-bad", phase("a")).toBuilder()
                        .setOptions(RunOptions.newBuilder().setScheduleValue(99)).build()),
                () -> cluster().runs().submit(structured("e2e-hostile-bad", phase("a")).toBuilder()
                        .setOptions(RunOptions.newBuilder().setMaxParallel(-1)).build()),
                () -> cluster().runs().submit(structured("e2e-hostile-bad", phase("a")).toBuilder()
                        .setOptions(RunOptions.newBuilder().setBudgetTokens(-1)).build()),
                () -> cluster().runs().submit(structured("e2e-hostile-bad", phase("a")).toBuilder()
                        .setOptions(RunOptions.newBuilder().addIncludeBacklog("nope")).build()),
                () -> cluster().runs().listRuns(ListRunsRequest.newBuilder().addStatesValue(99).build()),
                () -> cluster().runs().listRuns(ListRunsRequest.newBuilder().setPageSize(-1).build()),
                () -> cluster().runs().listRuns(ListRunsRequest.newBuilder().setPageToken("forged").build()));
        for (Runnable call : calls) {
            refused(Status.Code.INVALID_ARGUMENT, call);
        }
        aNormalRunStillSucceeds("e2e-hostile-bad");
    }

    @Test
    void retryOfASucceededRunIsRefusedAndARunPausedOnItsOwnBudgetResumesWithBudget() throws Exception {
        cluster().startWorker("e2e-hostile-budget", "--slots", "2", "--executor", "simulate", "--time-scale", "10");
        String runId = cluster().runs().submit(structured("e2e-hostile-own-budget", phase("p1"), phase("p2"))
                .toBuilder().setOptions(RunOptions.newBuilder().setMaxParallel(1).setBudgetTokens(500)).build())
                .getRunId();
        Cluster.Cli paused = cluster().client("status", runId, "--wait", "--json");
        assertThat(paused.exitCode()).as("status --wait of a paused run: %s", paused).isEqualTo(3);
        assertThat(paused.json().get("state").asText()).isEqualTo("PAUSED");

        Cluster.Cli budget = cluster().client("budget", runId, "1000000", "--json");
        assertThat(budget.exitCode()).as(budget.toString()).isZero();
        Cluster.Cli done = cluster().client("status", runId, "--wait", "--json");
        assertThat(done.exitCode()).as(done.toString()).isZero();
        assertThat(done.json().get("state").asText()).isEqualTo("SUCCEEDED");
        assertLedgerExact();

        assertThat(refused(Status.Code.FAILED_PRECONDITION, () -> cluster().runs().retryRun(
                RetryRunRequest.newBuilder().setRunId(runId).build())).getDescription()).contains("nothing to retry");
        Cluster.Cli retry = cluster().client("retry", runId);
        assertThat(retry.exitCode()).as(retry.toString()).isNotZero();
        assertThat(run(runId).getState()).isEqualTo(RunState.RUN_SUCCEEDED);
    }

    @Test
    void runsPagesThroughEveryRun() throws Exception {
        for (int i = 0; i < 5; i++) {
            cluster().runs().submit(structured("e2e-hostile-page-" + i, phase("x")));
        }
        int total = 0;
        String token = "";
        do {
            ListRunsResponse page = cluster().runs().listRuns(ListRunsRequest.newBuilder().setPageSize(2)
                    .setPageToken(token).build());
            assertThat(page.getRunsCount()).isLessThanOrEqualTo(2);
            total += page.getRunsCount();
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        Cluster.Cli all = cluster().client("runs", "--limit", "0", "--json");
        assertThat(all.exitCode()).as(all.toString()).isZero();
        assertThat(all.json().get("runs").size()).isEqualTo(total).isGreaterThanOrEqualTo(5);
        Cluster.Cli three = cluster().client("runs", "--limit", "3", "--json");
        assertThat(three.json().get("runs").size()).isEqualTo(3);
    }
}
