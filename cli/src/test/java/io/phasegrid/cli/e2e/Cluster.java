package io.phasegrid.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.phasegrid.common.testing.FreePorts;
import io.phasegrid.worker.security.ClientSecurity;
import io.phasegrid.proto.v1.LedgerServiceGrpc;
import io.phasegrid.proto.v1.RunServiceGrpc;
import io.phasegrid.proto.v1.WorkerServiceGrpc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real cluster for end-to-end tests: one {@code phasegrid coordinator} process and {@code phasegrid worker}
 * processes, each a JVM started from {@code cli/target/phasegrid.jar} on free loopback ports, each writing its output
 * to its own file under the test's directory. Every process started here is stopped by PID (with its descendants)
 * in {@link #close()}; nothing is ever stopped by name.
 */
final class Cluster implements AutoCloseable {

    /** Failsafe runs in the module directory ({@code cli}). */
    static final Path JAR = Path.of("target", "phasegrid.jar").toAbsolutePath();

    /** Workers heartbeat this often and leases expire this long after their last renewal (short, for tests). */
    static final long HEARTBEAT_MS = 200;
    static final long LEASE_TTL_MS = 1_500;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Hazelcast on JDK 17+ needs these (the same list as bin/phasegrid); the rest keeps small JVMs quick to start. */
    private static final List<String> JVM_OPTIONS = List.of(
            "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.net.preferIPv4Stack=true",
            "--add-modules", "java.se", "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "java.management/sun.management=ALL-UNNAMED",
            "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");

    /** A process this cluster started, with the file its output goes to. */
    record Node(String name, Process process, Path log) {

        String output() {
            try {
                return Files.exists(log) ? Files.readString(log) : "";
            } catch (IOException e) {
                return "(cannot read " + log + ": " + e + ")";
            }
        }
    }

    /** A finished CLI command: its exit code and what it printed. */
    record Cli(List<String> args, int exitCode, String stdout, String stderr) {

        JsonNode json() {
            try {
                return JSON.readTree(stdout);
            } catch (IOException e) {
                throw new AssertionError("not JSON from " + args + ": " + stdout + "\nstderr: " + stderr, e);
            }
        }

        @Override
        public String toString() {
            return "phasegrid " + String.join(" ", args) + " -> exit " + exitCode + "\nstdout:\n" + stdout
                    + "\nstderr:\n" + stderr;
        }
    }

    private final Path dir;
    private final String clusterName;
    private final List<Node> nodes = new CopyOnWriteArrayList<>();
    private final AtomicInteger commands = new AtomicInteger();
    private Node coordinator;
    private List<String> coordinatorArgs = List.of();
    /** The coordinator's bootstrap admin token: every process this cluster starts gets it as PHASEGRID_TOKEN. */
    private String adminToken = "";
    /** The certificate clients trust when the coordinator serves TLS; null = plaintext. */
    private Path tlsCa;
    private int grpcPort;
    private int hazelcastPort;
    private ManagedChannel channel;

    private Cluster(Path dir, String clusterName) {
        this.dir = dir;
        this.clusterName = clusterName;
    }

    /** Starts a coordinator (cluster name unique to the caller) and waits until its gRPC health says SERVING. */
    static Cluster start(Path dir, String clusterName, String... coordinatorArgs) throws Exception {
        return start(dir, clusterName, null, coordinatorArgs);
    }

    /** No coordinator: for running commands ({@link #command}, {@link #startCommand}) as processes. */
    static Cluster withoutCoordinator(Path dir, String clusterName) {
        assertThat(JAR).as("the runnable jar (mvn package builds it)").exists();
        return new Cluster(dir, clusterName + "-" + ProcessHandle.current().pid());
    }

    /**
     * As {@link #start(Path, String, String...)}, serving TLS with {@code cert} (a self-signed PEM certificate for
     * 127.0.0.1, which clients trust through PHASEGRID_TLS_CA) and {@code key}; plaintext ({@code --insecure})
     * when {@code cert} is null.
     */
    static Cluster startTls(Path dir, String clusterName, Path cert, Path key) throws Exception {
        return start(dir, clusterName, cert, "--tls-cert", cert.toString(), "--tls-key", key.toString());
    }

    /** TLS with a server certificate signed by {@code ca}, which clients trust and client certificates need. */
    static Cluster startMutualTls(Path dir, String clusterName, Path ca, Path cert, Path key) throws Exception {
        return start(dir, clusterName, ca, "--tls-cert", cert.toString(), "--tls-key", key.toString(),
                "--tls-client-ca", ca.toString());
    }

    private static Cluster start(Path dir, String clusterName, Path tlsCert, String... coordinatorArgs)
            throws Exception {
        assertThat(JAR).as("the runnable jar (mvn package builds it)").exists();
        Cluster cluster = new Cluster(dir, clusterName + "-" + ProcessHandle.current().pid());
        cluster.tlsCa = tlsCert;
        try {
            cluster.coordinatorArgs = List.of(coordinatorArgs);
            cluster.grpcPort = freePort();
            cluster.hazelcastPort = freePort();
            cluster.startCoordinator(cluster.coordinatorArgs);
        } catch (Throwable e) {
            String logs = cluster.logs();
            cluster.close();
            throw new AssertionError("coordinator did not start:\n" + logs, e);
        }
        return cluster;
    }

    /**
     * Starts a fresh coordinator process on the first coordinator's ports and arguments (after {@link #kill} of
     * every member: a whole-cluster restart on the same store); waits until it serves.
     */
    void restartCoordinator() throws Exception {
        if (channel != null) {
            channel.shutdownNow();
        }
        startCoordinator(coordinatorArgs);
    }

    private void startCoordinator(List<String> extraArgs) throws Exception {
        Path tokenFile = dir.resolve("admin-" + clusterName + ".token");
        List<String> command = new ArrayList<>(List.of("coordinator", "--port", "" + grpcPort,
                "--hazelcast-port", "" + hazelcastPort, "--cluster-name", clusterName,
                "--heartbeat-interval", "" + HEARTBEAT_MS, "--lease-ttl", "" + LEASE_TTL_MS,
                "--bootstrap-token-file", tokenFile.toString()));
        if (tlsCa == null) {
            command.add("--insecure");
        }
        command.addAll(extraArgs);
        coordinator = launch(coordinator == null ? "coordinator" : "coordinator-" + nodes.size(), command, Map.of());
        long tokenDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!Files.exists(tokenFile) || Files.size(tokenFile) == 0) {
            if (!coordinator.process().isAlive()) {
                throw new AssertionError("coordinator exited with " + coordinator.process().exitValue());
            }
            if (System.nanoTime() > tokenDeadline) {
                throw new AssertionError("coordinator wrote no bootstrap token in 90 s");
            }
            Thread.sleep(100);
        }
        adminToken = ClientSecurity.readToken(tokenFile);
        channel = Grpc.newChannelBuilder("127.0.0.1:" + grpcPort, clientSecurity().credentials())
                .maxInboundMessageSize(64 << 20)
                .build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (true) {
            if (!coordinator.process().isAlive()) {
                throw new AssertionError("coordinator exited with " + coordinator.process().exitValue());
            }
            try {
                HealthCheckResponse health = HealthGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(2, TimeUnit.SECONDS)
                        .check(HealthCheckRequest.getDefaultInstance());
                if (health.getStatus() == HealthCheckResponse.ServingStatus.SERVING) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("coordinator not SERVING after 90 s");
            }
            Thread.sleep(200);
        }
    }

    /** A second coordinator process, a member of the first's Hazelcast cluster, with its gRPC channel. */
    record Member(Node node, String address, ManagedChannel channel) {
    }

    /** Starts another coordinator that joins the first one's cluster; waits until its gRPC health says SERVING. */
    Member startMember(String name) throws Exception {
        return startMember(name, freePort(), freePort());
    }

    /** As {@link #startMember(String)} on these ports, with the first coordinator's extra arguments. */
    Member startMember(String name, int port, int memberPort) throws Exception {
        List<String> command = new ArrayList<>(List.of("coordinator", "--port", "" + port, "--hazelcast-port",
                "" + memberPort, "--member", "127.0.0.1:" + hazelcastPort, "--cluster-name", clusterName,
                "--heartbeat-interval", "" + HEARTBEAT_MS, "--lease-ttl", "" + LEASE_TTL_MS));
        if (tlsCa == null) {
            command.add("--insecure");
        }
        command.addAll(coordinatorArgs);
        Node node = launch(name, command, Map.of());
        ManagedChannel memberChannel = Grpc.newChannelBuilder("127.0.0.1:" + port,
                clientSecurity().credentials()).maxInboundMessageSize(64 << 20).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (true) {
            if (!node.process().isAlive()) {
                memberChannel.shutdownNow();
                throw new AssertionError(name + " exited with " + node.process().exitValue() + ":\n"
                        + node.output());
            }
            try {
                if (HealthGrpc.newBlockingStub(memberChannel).withDeadlineAfter(2, TimeUnit.SECONDS)
                        .check(HealthCheckRequest.getDefaultInstance()).getStatus()
                        == HealthCheckResponse.ServingStatus.SERVING) {
                    return new Member(node, "127.0.0.1:" + port, memberChannel);
                }
            } catch (RuntimeException notYet) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                memberChannel.shutdownNow();
                throw new AssertionError(name + " not SERVING after 90 s:\n" + node.output());
            }
            Thread.sleep(200);
        }
    }

    String address() {
        return "127.0.0.1:" + grpcPort;
    }

    ManagedChannel channel() {
        return channel;
    }

    /** How the harness's own channels reach the coordinator: the admin token, over TLS when it serves TLS. */
    ClientSecurity clientSecurity() {
        return new ClientSecurity(java.util.Optional.of(adminToken), java.util.Optional.ofNullable(tlsCa),
                java.util.Optional.empty(), java.util.Optional.empty());
    }

    /** The admin token every command and worker of this cluster uses. */
    String adminToken() {
        return adminToken;
    }

    RunServiceGrpc.RunServiceBlockingStub runs() {
        return RunServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    WorkerServiceGrpc.WorkerServiceBlockingStub workers() {
        return WorkerServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    LedgerServiceGrpc.LedgerServiceBlockingStub ledger() {
        return LedgerServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    Node coordinator() {
        return coordinator;
    }

    /**
     * Starts {@code phasegrid worker --coordinator THIS --name NAME --drain-grace 1 ARGS...} and waits until it
     * says it started.
     */
    Node startWorker(String name, Map<String, String> environment, String... args) throws Exception {
        return startWorkerOn(address(), name, environment, args);
    }

    /** As {@link #startWorker(String, Map, String...)} with {@code --coordinator COORDINATORS}. */
    Node startWorkerOn(String coordinators, String name, Map<String, String> environment, String... args)
            throws Exception {
        List<String> command = new ArrayList<>(List.of("worker", "--coordinator", coordinators, "--name", name,
                "--drain-grace", "1", "--workspace", dir.resolve("workspaces-" + name).toString()));
        command.addAll(List.of(args));
        Node worker = launch(name, command, environment);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!worker.output().contains("worker " + name + ":")) {
            if (!worker.process().isAlive()) {
                throw new AssertionError("worker " + name + " exited with " + worker.process().exitValue()
                        + ":\n" + worker.output());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("worker " + name + " did not start in 60 s:\n" + worker.output());
            }
            Thread.sleep(50);
        }
        return worker;
    }

    Node startWorker(String name, String... args) throws Exception {
        return startWorker(name, Map.of(), args);
    }

    /** Runs a client command against this coordinator ({@code --coordinator} appended), bounded to 90 s. */
    Cli client(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--coordinator", address()));
        return command(all.toArray(String[]::new));
    }

    /** Runs {@code phasegrid ARGS...} as it is (an offline command), bounded to 90 s. */
    Cli command(String... args) throws Exception {
        return command(Map.of(), args);
    }

    /** As {@link #command(String...)} with these environment variables added. */
    Cli command(Map<String, String> environment, String... args) throws Exception {
        int n = commands.incrementAndGet();
        Path out = dir.resolve("cli-" + n + ".out");
        Path err = dir.resolve("cli-" + n + ".err");
        ProcessBuilder builder = new ProcessBuilder(javaCommand(List.of(args)))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().put("PHASEGRID_TOKEN", adminToken);
        if (tlsCa != null) {
            builder.environment().put("PHASEGRID_TLS_CA", tlsCa.toString());
        }
        builder.environment().putAll(environment);
        Process process = builder.start();
        try {
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                throw new AssertionError("phasegrid " + String.join(" ", args) + " did not finish in 90 s:\n"
                        + Files.readString(out) + Files.readString(err));
            }
            return new Cli(List.of(args), process.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            stop(process, Duration.ZERO);
        }
    }

    /** SIGKILL: the worker process and the processes it started die at once, as when its machine dies. */
    void kill(Node node) throws InterruptedException {
        List<ProcessHandle> descendants = node.process().descendants().toList();
        node.process().destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        assertThat(node.process().waitFor(30, TimeUnit.SECONDS)).as("%s killed", node.name()).isTrue();
    }

    /** SIGTERM, then SIGKILL after a grace; its descendants too. */
    void stop(Node node) {
        stop(node.process(), Duration.ofSeconds(5));
    }

    private static void stop(Process process, Duration grace) {
        List<ProcessHandle> descendants = process.descendants().toList();
        try {
            if (process.isAlive() && !grace.isZero()) {
                process.destroy();
                process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
            }
            process.destroyForcibly();
            descendants.forEach(ProcessHandle::destroyForcibly);
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            descendants.forEach(ProcessHandle::destroyForcibly);
            Thread.currentThread().interrupt();
        }
    }

    /** Stops every worker this cluster started (not the coordinator). */
    void stopWorkers() {
        nodes.stream().filter(n -> n != coordinator).parallel().forEach(this::stop);
    }

    /** Every process's output, for a failure message. */
    String logs() {
        StringBuilder all = new StringBuilder();
        for (Node node : nodes) {
            all.append("===== ").append(node.name()).append(" (pid ").append(node.process().pid()).append(", ")
                    .append(node.process().isAlive() ? "alive" : "exit " + node.process().exitValue())
                    .append(") ").append(node.log()).append('\n').append(node.output()).append('\n');
        }
        return all.toString();
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.shutdownNow();
        }
        nodes.stream().parallel().forEach(this::stop);
        nodes.clear();
    }

    /** Starts {@code phasegrid ARGS...} without waiting for it (stopped with the cluster, or by {@link #kill}). */
    Node startCommand(String name, Map<String, String> environment, String... args) throws IOException {
        return launch(name, List.of(args), environment);
    }

    private Node launch(String name, List<String> args, Map<String, String> environment) throws IOException {
        Path log = dir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(javaCommand(args))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        if (!adminToken.isEmpty()) {
            builder.environment().put("PHASEGRID_TOKEN", adminToken);
        }
        if (tlsCa != null) {
            builder.environment().put("PHASEGRID_TLS_CA", tlsCa.toString());
        }
        builder.environment().putAll(environment);
        Node node = new Node(name, builder.start(), log);
        nodes.add(node);
        return node;
    }

    private static List<String> javaCommand(List<String> args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return Stream.of(Stream.of(java), JVM_OPTIONS.stream(), Stream.of("-jar", JAR.toString()), args.stream())
                .flatMap(s -> s).toList();
    }

    static int freePort() {
        return FreePorts.take();
    }

    static JsonNode readJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
