package io.phasegrid.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, section 1, on a real coordinator process: every call needs a token, the roles decide what it may do,
 * a revoked token stops working, the bootstrap token is written once with mode 0600, and TLS serves clients that
 * trust its certificate. The gRPC status names appear in the CLI's messages.
 */
class AuthIT {

    static final Path EXAMPLE = Path.of("..", "examples", "invoice-portal").toAbsolutePath().normalize();

    @TempDir
    static Path dir;

    @RegisterExtension
    static final ClusterPerClass CLUSTER = new ClusterPerClass("e2e-auth", () -> dir);

    private static Cluster cluster() {
        return CLUSTER.get();
    }

    private static String createToken(String role, String name) throws Exception {
        Cluster.Cli created = cluster().client("token", "create", "--role", role, "--name", name);
        assertThat(created.exitCode()).as(created.toString()).isZero();
        List<String> lines = created.stdout().lines().toList();
        String token = lines.get(lines.size() - 1);
        assertThat(token).as("the token is the last line").startsWith("pgt_").hasSize(47);
        return token;
    }

    private static Cluster.Cli as(String token, String... args) throws Exception {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of("--coordinator", cluster().address()));
        return cluster().command(Map.of("PHASEGRID_TOKEN", token), all.toArray(String[]::new));
    }

    @Test
    void withoutATokenEveryClientCommandIsUnauthenticated() throws Exception {
        for (List<String> command : List.of(List.of("runs"), List.of("ledger"),
                List.of("submit", EXAMPLE.toString()), List.of("token", "list"))) {
            Cluster.Cli refused = as("", command.toArray(String[]::new));
            assertThat(refused.exitCode()).as(refused.toString()).isNotZero();
            assertThat(refused.stderr()).as(refused.toString()).contains("UNAUTHENTICATED");
        }
        Cluster.Cli forged = as("pgt_forged-forged-forged-forged-forged-forged-for", "runs");
        assertThat(forged.stderr()).contains("UNAUTHENTICATED").contains("unknown or revoked token");
    }

    @Test
    void eachRoleMayDoItsPartOnlyAndTheRefusalNamesTheRole() throws Exception {
        String submitter = createToken("submitter", "ci-submitter");
        String reader = createToken("reader", "dashboards");
        String worker = createToken("worker", "worker-pool");

        Cluster.Cli submit = as(submitter, "submit", EXAMPLE.toString(), "--json");
        assertThat(submit.exitCode()).as(submit.toString()).isZero();
        String runId = submit.json().path("runId").asText();
        assertThat(as(reader, "status", runId).exitCode()).isZero();

        Cluster.Cli strangerReads = as(createToken("submitter", "other-team"), "status", runId);
        assertThat(strangerReads.exitCode()).isNotZero();
        assertThat(strangerReads.stderr()).as("another submitter's run").contains("PERMISSION_DENIED");

        Cluster.Cli readerSubmits = as(reader, "submit", EXAMPLE.toString());
        assertThat(readerSubmits.stderr()).contains("PERMISSION_DENIED").contains("dashboards").contains("reader");
        Cluster.Cli workerReads = as(worker, "status", runId);
        assertThat(workerReads.stderr()).contains("PERMISSION_DENIED");
        Cluster.Cli submitterSetsBudget = as(submitter, "ledger", "--set", "1");
        assertThat(submitterSetsBudget.exitCode()).isNotZero();
        assertThat(submitterSetsBudget.stderr()).contains("PERMISSION_DENIED");
        Cluster.Cli submitterMintsTokens = as(submitter, "token", "create", "--role", "admin", "--name", "me-too");
        assertThat(submitterMintsTokens.stderr()).contains("PERMISSION_DENIED");

        Cluster.Node w = cluster().startWorker("auth-w1", Map.of("PHASEGRID_TOKEN", worker), "--slots", "3",
                "--executor", "simulate", "--time-scale", "0");
        Cluster.Cli done = as(reader, "status", runId, "--wait", "--json");
        assertThat(done.json().path("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(w.output()).doesNotContain("UNAUTHENTICATED");

        Cluster.Cli listed = cluster().client("token", "list", "--json");
        assertThat(listed.stdout()).contains("ci-submitter", "dashboards", "worker-pool", "bootstrap-admin")
                .doesNotContain(submitter).doesNotContain(reader);
    }

    @Test
    void aRevokedTokenIsRefusedWithinTheCacheTime() throws Exception {
        String reader = createToken("reader", "temporary");
        assertThat(as(reader, "runs").exitCode()).isZero();

        Cluster.Cli revoked = cluster().client("token", "revoke", "temporary");
        assertThat(revoked.exitCode()).as(revoked.toString()).isZero();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(as(reader, "runs").stderr()).contains("UNAUTHENTICATED"));
        Cluster.Cli lastAdmin = cluster().client("token", "revoke", "bootstrap-admin");
        assertThat(lastAdmin.stderr()).contains("FAILED_PRECONDITION").contains("last admin");
    }

    @Test
    void theBootstrapTokenFileIsPrivateAndACoordinatorWithoutTlsOrInsecureRefusesToStart() throws Exception {
        Path tokenFile = Files.list(dir).filter(p -> p.getFileName().toString().startsWith("admin-")).findFirst()
                .orElseThrow();
        assertThat(Files.getPosixFilePermissions(tokenFile)).extracting(Object::toString)
                .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");

        Cluster.Cli plain = cluster().command("coordinator", "--port", "" + Cluster.freePort());
        assertThat(plain.exitCode()).isEqualTo(2);
        assertThat(plain.stderr()).contains("--tls-cert").contains("--insecure");
    }

    @Test
    void aTlsCoordinatorServesClientsThatTrustItsCertificateAndNoOthers() throws Exception {
        Path cert = dir.resolve("server.pem");
        Path key = dir.resolve("server.key");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", key.toString(), "-out", cert.toString(), "-days", "1", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1").redirectErrorStream(true).start();
        openssl.getInputStream().readAllBytes();
        assertThat(openssl.waitFor(60, TimeUnit.SECONDS) && openssl.exitValue() == 0).as("openssl made a cert").isTrue();

        Files.createDirectories(dir.resolve("tls"));
        try (Cluster tls = Cluster.startTls(dir.resolve("tls"), "e2e-auth-tls", cert, key)) {
            Cluster.Cli submit = tls.client("submit", EXAMPLE.toString(), "--json");
            assertThat(submit.exitCode()).as(submit.toString()).isZero();

            Cluster.Cli untrusting = tls.command(Map.of("PHASEGRID_TLS_CA", ""), "runs", "--coordinator",
                    tls.address());
            assertThat(untrusting.exitCode()).as(untrusting.toString()).isNotZero();
        }
    }

    private static void openssl(Path in, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process openssl = new ProcessBuilder(command).directory(in.toFile()).redirectErrorStream(true).start();
        String output = new String(openssl.getInputStream().readAllBytes());
        assertThat(openssl.waitFor(60, TimeUnit.SECONDS) && openssl.exitValue() == 0).as("openssl " + args[0]
                + ": " + output).isTrue();
    }

    /** {@code name}.pem and {@code name}.key in {@code in}: a certificate for {@code cn} signed by ca.pem. */
    private static void signed(Path in, String name, String cn, String extension) throws Exception {
        Files.writeString(in.resolve(name + ".ext"), extension + "\n");
        openssl(in, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".csr",
                "-subj", "/CN=" + cn);
        openssl(in, "x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", name + ".pem", "-days", "1", "-extfile", name + ".ext");
    }

    @Test
    void aWorkerWithOnlyAClientCertificateWorksAsThePrincipalItsCommonNameNames() throws Exception {
        Path pki = Files.createDirectories(dir.resolve("mtls"));
        openssl(pki, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
                "-days", "1", "-subj", "/CN=e2e-ca");
        signed(pki, "server", "127.0.0.1", "subjectAltName=IP:127.0.0.1");
        signed(pki, "worker", "mtls-worker", "extendedKeyUsage=clientAuth");

        try (Cluster mtls = Cluster.startMutualTls(Files.createDirectories(dir.resolve("mtls-cluster")),
                "e2e-auth-mtls", pki.resolve("ca.pem"), pki.resolve("server.pem"), pki.resolve("server.key"))) {
            Cluster.Cli unknown = mtls.command(Map.of("PHASEGRID_TOKEN", ""), "runs", "--coordinator",
                    mtls.address(), "--tls-client-cert", pki.resolve("worker.pem").toString(), "--tls-client-key",
                    pki.resolve("worker.key").toString());
            assertThat(unknown.stderr()).as("no principal of that CN yet").contains("UNAUTHENTICATED");
            assertThat(mtls.client("token", "create", "--role", "worker", "--name", "mtls-worker").exitCode())
                    .isZero();
            Cluster.Cli submit = mtls.client("submit", EXAMPLE.toString(), "--json");
            assertThat(submit.exitCode()).as(submit.toString()).isZero();

            Cluster.Node worker = mtls.startWorker("mtls-w1", Map.of("PHASEGRID_TOKEN", ""), "--slots", "3",
                    "--executor", "simulate", "--time-scale", "0", "--tls-client-cert",
                    pki.resolve("worker.pem").toString(), "--tls-client-key", pki.resolve("worker.key").toString());
            Cluster.Cli done = mtls.client("status", submit.json().path("runId").asText(), "--wait", "--json");
            assertThat(done.json().path("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
            assertThat(worker.output()).doesNotContain("UNAUTHENTICATED");
            mtls.stop(worker);
        }
    }
}
