package io.phasegrid.coordinator.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.phasegrid.coordinator.ledger.TokenLedger;
import io.phasegrid.coordinator.lease.HazelcastWorkerGateway;
import io.phasegrid.coordinator.service.HazelcastRunCoordinator;
import io.phasegrid.coordinator.testing.TestMembers;
import io.phasegrid.proto.v1.GetLedgerRequest;
import io.phasegrid.proto.v1.GetRunRequest;
import io.phasegrid.proto.v1.LedgerServiceGrpc;
import io.phasegrid.proto.v1.RunServiceGrpc;
import io.phasegrid.proto.v1.StructuredPhase;
import io.phasegrid.proto.v1.StructuredRoadmap;
import io.phasegrid.proto.v1.SubmitRunRequest;
import io.phasegrid.proto.v1.WorkerServiceGrpc;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Request bodies that are not messages of the method's type, sent as raw bytes through a {@link ClientCall} with a
 * byte-array marshaller, on an in-process server and on Netty: every service of the coordinator answers
 * INVALID_ARGUMENT with a short description, logs nothing at SEVERE or WARNING, and serves the next call normally.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RequestParsingTest {

    /** Not a protobuf message: a field tag with wire type 7, which does not exist. */
    private static final byte[] GARBAGE = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f, 0x07};
    /** GetRunRequest{run_id = bytes C3 28}: a string field that is not valid UTF-8. */
    private static final byte[] RUN_ID_NOT_UTF8 = {0x0a, 0x02, (byte) 0xc3, 0x28};

    private HazelcastInstance member;
    private HazelcastRunCoordinator runs;
    private HazelcastWorkerGateway gateway;
    private CoordinatorServer inProcess;
    private CoordinatorServer netty;
    private final List<ManagedChannel> channels = new ArrayList<>();
    private final List<LogRecord> logged = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public synchronized void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                logged.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeAll
    void start() throws Exception {
        member = TestMembers.start(TestMembers.privateCluster("request-parsing"));
        runs = new HazelcastRunCoordinator(member);
        gateway = new HazelcastWorkerGateway(member);
        String name = InProcessServerBuilder.generateName();
        inProcess = new CoordinatorServer(InProcessServerBuilder.forName(name), services()).start();
        netty = new CoordinatorServer(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)),
                services()).start();
        channels.add(InProcessChannelBuilder.forName(name).build());
        channels.add(NettyChannelBuilder.forAddress("127.0.0.1", netty.port()).usePlaintext().build());
    }

    private List<io.grpc.BindableService> services() {
        return List.of(new RunGrpcService(runs), new WorkerGrpcService(gateway),
                new LedgerGrpcService(new TokenLedger(member), () -> { }));
    }

    @AfterAll
    void stop() throws InterruptedException {
        for (ManagedChannel channel : channels) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        inProcess.close();
        netty.close();
        gateway.close();
        runs.close();
        member.shutdown();
    }

    @BeforeEach
    void captureLogs() {
        logged.clear();
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void releaseLogs() {
        Logger.getLogger("").removeHandler(capture);
    }

    Stream<String> transports() {
        return Stream.of("in-process", "netty");
    }

    private ManagedChannel channel(String transport) {
        return channels.get(transport.equals("netty") ? 1 : 0);
    }

    @ParameterizedTest
    @MethodSource("transports")
    void garbageBodiesAreInvalidArgumentOnEveryService(String transport) throws Exception {
        ManagedChannel channel = channel(transport);
        for (MethodDescriptor<?, ?> method : List.of(RunServiceGrpc.getSubmitMethod(),
                RunServiceGrpc.getListRunsMethod(), RunServiceGrpc.getWatchRunMethod(),
                WorkerServiceGrpc.getRegisterMethod(), WorkerServiceGrpc.getConnectMethod(),
                LedgerServiceGrpc.getGetLedgerMethod())) {
            Status status = rawCall(channel, method, GARBAGE);

            assertThat(status.getCode()).as(method.getFullMethodName()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(status.getDescription()).as(method.getFullMethodName())
                    .startsWith(method.getFullMethodName() + ": the request is not a valid ")
                    .hasSizeLessThan(300);
        }
        assertNothingLoggedAndStillServing(channel);
    }

    @ParameterizedTest
    @MethodSource("transports")
    void aRunIdThatIsNotUtf8IsInvalidArgument(String transport) throws Exception {
        ManagedChannel channel = channel(transport);
        Status status = rawCall(channel, RunServiceGrpc.getGetRunMethod(), RUN_ID_NOT_UTF8);

        assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(status.getDescription()).contains("GetRunRequest").contains("UTF-8");
        assertNothingLoggedAndStillServing(channel);
    }

    @ParameterizedTest
    @MethodSource("transports")
    void aHugeRunIdIsRefusedPromptlyWithAShortMessage(String transport) {
        ManagedChannel channel = channel(transport);
        String huge = "r-" + "x".repeat(64 * 1024);
        StatusRuntimeException e = org.assertj.core.api.Assertions.catchThrowableOfType(
                StatusRuntimeException.class, () -> RunServiceGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(30, TimeUnit.SECONDS)
                        .getRun(GetRunRequest.newBuilder().setRunId(huge).build()));

        assertThat(e).isNotNull();
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(e.getStatus().getDescription()).contains("run_id").hasSizeLessThan(GrpcCalls.MAX_DESCRIPTION);
        // the channel is not stalled: the next call on it is answered
        assertThat(LedgerServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .getLedger(GetLedgerRequest.getDefaultInstance()).getBudget()).isZero();
    }

    @Test
    void anUnparsableMessageOnAConnectStreamEndsItAndTheServiceLetsGoOfTheStreamAndItsWaitingPoll()
            throws Exception {
        WorkerGrpcService workers = new WorkerGrpcService(gateway);
        String name = InProcessServerBuilder.generateName();
        CoordinatorServer server = new CoordinatorServer(InProcessServerBuilder.forName(name), List.of(workers))
                .start();
        ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
        try {
            MethodDescriptor<byte[], byte[]> raw = WorkerServiceGrpc.getConnectMethod()
                    .toBuilder(RawBytes.INSTANCE, RawBytes.INSTANCE).build();
            ClientCall<byte[], byte[]> call = channel.newCall(raw, CallOptions.DEFAULT.withDeadlineAfter(60,
                    TimeUnit.SECONDS));
            CompletableFuture<Status> closed = new CompletableFuture<>();
            CompletableFuture<Void> registered = new CompletableFuture<>();
            call.start(new ClientCall.Listener<>() {
                @Override
                public void onMessage(byte[] message) {
                    registered.complete(null);
                }

                @Override
                public void onClose(Status status, Metadata trailers) {
                    closed.complete(status);
                }
            }, new Metadata());
            call.request(10);
            String workerId = "parse-victim";
            call.sendMessage(io.phasegrid.proto.v1.WorkerMessage.newBuilder().setCorrelationId(1)
                    .setRegister(io.phasegrid.proto.v1.RegisterWorkerRequest.newBuilder().setName(workerId)
                            .setSlots(1)).build().toByteArray());
            registered.get(10, TimeUnit.SECONDS);
            String id = gateway.register(workerId, 1, java.util.Map.of()).workerId();
            call.sendMessage(io.phasegrid.proto.v1.WorkerMessage.newBuilder().setCorrelationId(2)
                    .setPoll(io.phasegrid.proto.v1.PollLeaseRequest.newBuilder().setWorkerId(id).setFreeSlots(1)
                            .setWaitMs(30_000)).build().toByteArray());
            assertThat(workers.openStreams()).isEqualTo(1);

            call.sendMessage(GARBAGE);

            Status status = closed.get(10, TimeUnit.SECONDS); // the 30 s poll does not hold the end back
            assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> workers.openStreams() == 0);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            server.close();
        }
    }

    private void assertNothingLoggedAndStillServing(ManagedChannel channel) {
        String runId = RunServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .submit(SubmitRunRequest.newBuilder().setStructured(StructuredRoadmap.newBuilder()
                        .addPhases(StructuredPhase.newBuilder().setKey("a").setName("A")))
                        .build()).getRunId();
        assertThat(runId).startsWith("r-");
        synchronized (capture) {
            assertThat(logged).extracting(LogRecord::getMessage).as("warnings and errors logged").isEmpty();
        }
    }

    /** Sends {@code body} as the only request message of {@code method} and answers the call's status. */
    static Status rawCall(ManagedChannel channel, MethodDescriptor<?, ?> method, byte[] body) throws Exception {
        MethodDescriptor<byte[], byte[]> raw = method.toBuilder(RawBytes.INSTANCE, RawBytes.INSTANCE).build();
        ClientCall<byte[], byte[]> call = channel.newCall(raw, CallOptions.DEFAULT.withDeadlineAfter(30,
                TimeUnit.SECONDS));
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
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
