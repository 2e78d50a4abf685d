package io.phasegrid.coordinator.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.Descriptors;
import com.hazelcast.core.HazelcastInstance;
import io.grpc.BindableService;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.ServerCalls;
import io.phasegrid.coordinator.grpc.CoordinatorServer;
import io.phasegrid.coordinator.grpc.TokenGrpcService;
import io.phasegrid.coordinator.testing.TestMembers;
import io.phasegrid.proto.v1.CreateTokenRequest;
import io.phasegrid.proto.v1.LedgerServiceGrpc;
import io.phasegrid.proto.v1.RevokeTokenRequest;
import io.phasegrid.proto.v1.RunServiceGrpc;
import io.phasegrid.proto.v1.TokenInfo;
import io.phasegrid.proto.v1.TokenServiceGrpc;
import io.phasegrid.proto.v1.WhoAmIRequest;
import io.phasegrid.proto.v1.WorkerServiceGrpc;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every RPC the coordinator serves, called with no credentials, with a forged token and with a token of each role:
 * the interceptor lets exactly the roles of {@link MethodRules} through to the handler and refuses the others with
 * UNAUTHENTICATED or PERMISSION_DENIED. The Run, Worker and Ledger services are stand-ins that answer every call
 * UNIMPLEMENTED ("the handler was reached"), so the table is about authorization alone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthInterceptorTest {

    private static final List<ServiceDescriptor> STAND_INS = List.of(RunServiceGrpc.getServiceDescriptor(),
            WorkerServiceGrpc.getServiceDescriptor(), LedgerServiceGrpc.getServiceDescriptor());

    private final ConcurrentLinkedQueue<String> refusals = new ConcurrentLinkedQueue<>();
    private final Map<Role, String> tokens = new EnumMap<>(Role.class);
    private HazelcastInstance member;
    private CoordinatorServer server;
    private ManagedChannel channel;
    private TokenAdmin admin;

    @BeforeAll
    void start() throws Exception {
        member = TestMembers.start(TestMembers.privateCluster("auth"));
        TokenStore store = new HazelcastTokenStore(member);
        Authenticator authenticator = new Authenticator(store);
        admin = new TokenAdmin(store, authenticator, System::currentTimeMillis);
        for (Role role : Role.values()) {
            tokens.put(role, admin.create(role.name().toLowerCase() + "-1", role).secret());
        }
        List<BindableService> services = new ArrayList<>();
        services.add(new TokenGrpcService(admin));
        STAND_INS.forEach(d -> services.add(() -> standIn(d)));
        String name = InProcessServerBuilder.generateName();
        server = new CoordinatorServer(InProcessServerBuilder.forName(name).directExecutor(), services,
                List.of(new AuthInterceptor(authenticator, MethodRules.standard(),
                        (method, principal, code) -> refusals.add(method + " " + principal + " " + code))))
                .start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.close();
        }
        if (member != null) {
            member.shutdown();
        }
    }

    /** A service whose every method answers UNIMPLEMENTED: reaching it means the call was let through. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static ServerServiceDefinition standIn(ServiceDescriptor descriptor) {
        ServerServiceDefinition.Builder builder = ServerServiceDefinition.builder(descriptor);
        for (MethodDescriptor<?, ?> method : descriptor.getMethods()) {
            MethodDescriptor raw = method;
            builder.addMethod(ServerMethodDefinition.create(raw, method.getType().clientSendsOneMessage()
                    ? ServerCalls.asyncUnaryCall((request, responses) -> responses.onError(
                            Status.UNIMPLEMENTED.withDescription("reached").asRuntimeException()))
                    : ServerCalls.asyncBidiStreamingCall(responses -> {
                        responses.onError(Status.UNIMPLEMENTED.withDescription("reached").asRuntimeException());
                        return new io.grpc.stub.StreamObserver<Object>() {
                            public void onNext(Object value) { }

                            public void onError(Throwable t) { }

                            public void onCompleted() { }
                        };
                    })));
        }
        return builder.build();
    }

    private static List<MethodDescriptor<?, ?>> everyMethod() {
        List<MethodDescriptor<?, ?>> methods = new ArrayList<>();
        STAND_INS.forEach(d -> methods.addAll(d.getMethods()));
        methods.addAll(TokenServiceGrpc.getServiceDescriptor().getMethods());
        return methods;
    }

    /** Calls {@code method} with an empty request (and, for streams, one empty message) and returns the status. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private Status.Code call(MethodDescriptor<?, ?> method, String token) {
        Metadata headers = new Metadata();
        if (token != null) {
            headers.put(AuthInterceptor.AUTHORIZATION, "Bearer " + token);
        }
        io.grpc.Channel authed = io.grpc.ClientInterceptors.intercept(channel,
                MetadataUtils.newAttachHeadersInterceptor(headers));
        MethodDescriptor raw = method;
        Object empty = emptyRequest(method);
        try {
            if (method.getType() == MethodDescriptor.MethodType.UNARY) {
                ClientCalls.blockingUnaryCall(authed, raw, CallOptions.DEFAULT, empty);
            } else if (method.getType() == MethodDescriptor.MethodType.SERVER_STREAMING) {
                ClientCalls.blockingServerStreamingCall(authed, raw, CallOptions.DEFAULT, empty).hasNext();
            } else {
                var responses = new java.util.concurrent.CompletableFuture<Status>();
                var requests = ClientCalls.asyncBidiStreamingCall(authed.newCall(raw, CallOptions.DEFAULT),
                        new io.grpc.stub.StreamObserver<Object>() {
                            public void onNext(Object value) { }

                            public void onError(Throwable t) {
                                responses.complete(Status.fromThrowable(t));
                            }

                            public void onCompleted() {
                                responses.complete(Status.OK);
                            }
                        });
                requests.onNext(empty);
                return responses.get(10, TimeUnit.SECONDS).getCode();
            }
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        } catch (Exception e) {
            throw new AssertionError(method.getFullMethodName(), e);
        }
    }

    private static Object emptyRequest(MethodDescriptor<?, ?> method) {
        MethodDescriptor.Marshaller<?> marshaller = method.getRequestMarshaller();
        if (marshaller instanceof MethodDescriptor.PrototypeMarshaller<?> prototype) {
            return prototype.getMessagePrototype();
        }
        throw new AssertionError("not a protobuf method: " + method.getFullMethodName());
    }

    private static boolean reachedOrAnswered(Status.Code code) {
        return code != Status.Code.UNAUTHENTICATED && code != Status.Code.PERMISSION_DENIED;
    }

    @Test
    void everyRpcWithoutCredentialsOrWithAForgedTokenIsUnauthenticated() {
        for (MethodDescriptor<?, ?> method : everyMethod()) {
            assertThat(call(method, null)).as(method.getFullMethodName() + " without a token")
                    .isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(call(method, "pgt_forged")).as(method.getFullMethodName() + " with a forged token")
                    .isEqualTo(Status.Code.UNAUTHENTICATED);
        }
        assertThat(refusals).anyMatch(r -> r.startsWith("phasegrid.v1.RunService/Submit anonymous UNAUTHENTICATED"));
    }

    @Test
    void eachRoleReachesExactlyTheMethodsItsRuleAllowsAndIsDeniedTheRest() {
        for (MethodDescriptor<?, ?> method : everyMethod()) {
            MethodRules.Rule rule = MethodRules.standard().rule(method.getFullMethodName()).orElseThrow();
            for (Role role : Role.values()) {
                Status.Code code = call(method, tokens.get(role));
                if (rule.allows(role)) {
                    assertThat(reachedOrAnswered(code)).as(method.getFullMethodName() + " as " + role + ": " + code)
                            .isTrue();
                } else {
                    assertThat(code).as(method.getFullMethodName() + " as " + role)
                            .isEqualTo(Status.Code.PERMISSION_DENIED);
                }
            }
        }
        assertThat(refusals).anyMatch(r -> r.equals("phasegrid.v1.WorkerService/CompletePhase submitter-1 PERMISSION_DENIED"));
    }

    @Test
    void theRolesAreTheIssuesTable() {
        MethodRules rules = MethodRules.standard();
        assertThat(rules.rule("phasegrid.v1.WorkerService/CompletePhase").orElseThrow().roles())
                .containsExactlyInAnyOrder(Role.WORKER, Role.ADMIN);
        assertThat(rules.rule("phasegrid.v1.RunService/Submit").orElseThrow().roles())
                .containsExactlyInAnyOrder(Role.SUBMITTER, Role.ADMIN);
        assertThat(rules.rule("phasegrid.v1.RunService/GetRun").orElseThrow().roles())
                .containsExactlyInAnyOrder(Role.SUBMITTER, Role.READER, Role.ADMIN);
        assertThat(rules.rule("phasegrid.v1.LedgerService/SetBudget").orElseThrow().roles())
                .containsExactly(Role.ADMIN);
        assertThat(rules.rule("grpc.health.v1.Health/Check").orElseThrow().open()).isTrue();
        assertThat(rules.rule("phasegrid.v1.RunService/NoSuchMethod")).isEmpty();
    }

    @Test
    void aRevokedTokenStopsWorkingAndTheLastAdminCannotBeRevoked() {
        TokenServiceGrpc.TokenServiceBlockingStub asAdmin = TokenServiceGrpc.newBlockingStub(channel)
                .withCallCredentials(BearerToken.of(tokens.get(Role.ADMIN)));
        String secret = asAdmin.createToken(CreateTokenRequest.newBuilder().setName("short-lived")
                .setRole(io.phasegrid.proto.v1.Role.ROLE_READER).build()).getToken();
        TokenServiceGrpc.TokenServiceBlockingStub asReader = TokenServiceGrpc.newBlockingStub(channel)
                .withCallCredentials(BearerToken.of(secret));
        TokenInfo me = asReader.whoAmI(WhoAmIRequest.getDefaultInstance());
        assertThat(me.getName()).isEqualTo("short-lived");
        assertThat(me.getRole()).isEqualTo(io.phasegrid.proto.v1.Role.ROLE_READER);

        asAdmin.revokeToken(RevokeTokenRequest.newBuilder().setName("short-lived").build());

        assertThat(catchThrowableOfType(() -> asReader.whoAmI(WhoAmIRequest.getDefaultInstance()),
                StatusRuntimeException.class).getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(catchThrowableOfType(() -> asAdmin.createToken(CreateTokenRequest.newBuilder()
                .setName("admin-1").setRole(io.phasegrid.proto.v1.Role.ROLE_ADMIN).build()),
                StatusRuntimeException.class).getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
        assertThat(catchThrowableOfType(() -> asAdmin.revokeToken(RevokeTokenRequest.newBuilder()
                .setName("admin-1").build()), StatusRuntimeException.class).getStatus().getCode())
                .isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(catchThrowableOfType(() -> asAdmin.createToken(CreateTokenRequest.newBuilder()
                .setName("bad name!").setRole(io.phasegrid.proto.v1.Role.ROLE_ADMIN).build()),
                StatusRuntimeException.class).getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    }

    @Test
    void everyMethodOfEveryPhaseGridServiceHasARule() {
        List<Descriptors.FileDescriptor> files = List.of(io.phasegrid.proto.v1.RunProto.getDescriptor(),
                io.phasegrid.proto.v1.WorkerProto.getDescriptor(), io.phasegrid.proto.v1.LedgerProto.getDescriptor(),
                io.phasegrid.proto.v1.AuthProto.getDescriptor(), io.phasegrid.proto.v1.AnalysisProto.getDescriptor());
        for (Descriptors.FileDescriptor file : files) {
            for (Descriptors.ServiceDescriptor service : file.getServices()) {
                for (Descriptors.MethodDescriptor method : service.getMethods()) {
                    assertThat(MethodRules.standard().rule(service.getFullName() + "/" + method.getName()))
                            .as("an access rule for " + service.getFullName() + "/" + method.getName()).isPresent();
                }
            }
        }
    }
}
