package io.phasegrid.coordinator.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.hazelcast.core.HazelcastInstance;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.phasegrid.coordinator.grpc.CoordinatorServer;
import io.phasegrid.coordinator.grpc.TokenGrpcService;
import io.phasegrid.coordinator.testing.TestMembers;
import io.phasegrid.proto.v1.TokenServiceGrpc;
import io.phasegrid.proto.v1.WhoAmIRequest;
import io.phasegrid.proto.v1.TokenInfo;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutual TLS: a client certificate signed by the coordinator's client CA authenticates as the live principal named
 * by its subject CN, with that principal's role, and stops doing so once the principal is revoked; a certificate
 * whose CN names nobody, or no credentials at all, is UNAUTHENTICATED; a bearer token still wins when both are sent.
 * Netty on 127.0.0.1 with certificates made by the openssl command.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientCertificateIdentityTest {

    @TempDir
    static Path dir;

    private HazelcastInstance member;
    private CoordinatorServer server;
    private Authenticator authenticator;
    private TokenAdmin admin;
    private int port;
    private final List<ManagedChannel> channels = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        assumeThat(openssl("version")).as("the openssl command is needed to make certificates").isTrue();
        assertThat(openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
                "-days", "1", "-subj", "/CN=phasegrid-test-ca")).isTrue();
        certificate("server", "localhost", "subjectAltName=IP:127.0.0.1,DNS:localhost");
        certificate("worker", "cert-worker-1", "extendedKeyUsage=clientAuth");
        certificate("nobody", "cert-nobody", "extendedKeyUsage=clientAuth");

        member = TestMembers.start(TestMembers.privateCluster("client-certs"));
        TokenStore store = new HazelcastTokenStore(member);
        authenticator = new Authenticator(store);
        admin = new TokenAdmin(store, authenticator, System::currentTimeMillis);
        ServerSecurity security = ServerSecurity.tls(dir.resolve("server.pem"), dir.resolve("server.key"),
                Optional.of(dir.resolve("ca.pem")), Optional.empty());
        server = new CoordinatorServer(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0),
                security.credentials()), List.of(new TokenGrpcService(admin)),
                List.of(new AuthInterceptor(authenticator, MethodRules.standard(), AuthInterceptor.Refusals.NONE)))
                .start();
        port = server.port();
    }

    @AfterAll
    void stop() throws InterruptedException {
        for (ManagedChannel channel : channels) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.close();
        }
        if (member != null) {
            member.shutdown();
        }
    }

    private boolean openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            return false;
        }
        process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return false;
        }
        return process.exitValue() == 0;
    }

    /** {@code name}.pem and {@code name}.key: a certificate for {@code cn} signed by the test CA. */
    private void certificate(String name, String cn, String extension) throws Exception {
        Files.writeString(dir.resolve(name + ".ext"), extension + "\n");
        assertThat(openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".csr",
                "-subj", "/CN=" + cn)).isTrue();
        assertThat(openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                "-CAcreateserial", "-out", name + ".pem", "-days", "1", "-extfile", name + ".ext")).isTrue();
    }

    private TokenServiceGrpc.TokenServiceBlockingStub client(String certificate) throws IOException {
        TlsChannelCredentials.Builder tls = TlsChannelCredentials.newBuilder().trustManager(
                dir.resolve("ca.pem").toFile());
        if (certificate != null) {
            tls.keyManager(dir.resolve(certificate + ".pem").toFile(), dir.resolve(certificate + ".key").toFile());
        }
        ChannelCredentials credentials = tls.build();
        ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1", port, credentials).build();
        channels.add(channel);
        return TokenServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    private static Status.Code refusal(TokenServiceGrpc.TokenServiceBlockingStub stub) {
        StatusRuntimeException e = catchThrowableOfType(() -> stub.whoAmI(WhoAmIRequest.getDefaultInstance()),
                StatusRuntimeException.class);
        assertThat(e).as("refused").isNotNull();
        return e.getStatus().getCode();
    }

    @Test
    void aCertificateIsThePrincipalItsCommonNameNamesUntilThatPrincipalIsRevoked() throws Exception {
        admin.create("cert-worker-1", Role.WORKER);
        var worker = client("worker");

        TokenInfo me = worker.whoAmI(WhoAmIRequest.getDefaultInstance());
        assertThat(me.getName()).isEqualTo("cert-worker-1");
        assertThat(me.getRole().name()).isEqualTo("ROLE_WORKER");
        assertThat(refusal(client("nobody"))).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(refusal(client(null))).isEqualTo(Status.Code.UNAUTHENTICATED);

        admin.revoke("cert-worker-1");
        authenticator.invalidate();
        assertThat(refusal(worker)).isEqualTo(Status.Code.UNAUTHENTICATED);
    }

    @Test
    void aBearerTokenWinsOverTheCertificate() throws Exception {
        admin.create("cert-worker-2", Role.WORKER);
        String reader = admin.create("token-reader", Role.READER).secret();

        TokenInfo me = client("nobody").withCallCredentials(BearerToken.of(reader))
                .whoAmI(WhoAmIRequest.getDefaultInstance());

        assertThat(me.getName()).isEqualTo("token-reader");
    }

    @Test
    void aCertificateIssuedLongBeforeItsPrincipalsTokenDoesNotComeBackWithANameCreatedAgain() {
        long created = admin.create("reused-name", Role.ADMIN).record().createdAtMs();

        assertThat(authenticator.authenticateCertificate("reused-name", created - 10 * 60_000)).as("a leaked old one")
                .isEmpty();
        assertThat(authenticator.authenticateCertificate("reused-name", created - 60_000)).as("within the skew")
                .isPresent();
        assertThat(authenticator.authenticateCertificate("reused-name", created + 60_000)).isPresent();
    }

    @Test
    void theCommonNameIsTheSubjectsMostSpecificCn() {
        assertThat(ClientCertificates.commonName("CN=worker-7,OU=build,O=Example")).contains("worker-7");
        assertThat(ClientCertificates.commonName("O=Example")).isEmpty();
        assertThat(ClientCertificates.commonName("not a name")).isEmpty();
    }
}
