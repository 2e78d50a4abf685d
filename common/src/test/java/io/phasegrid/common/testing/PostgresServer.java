package io.phasegrid.common.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real PostgreSQL server for tests: the Debian package's binaries, a new data directory under a temporary
 * folder, trust authentication on 127.0.0.1 only, a free port. PostgreSQL refuses to run as root, so as root it
 * runs as the {@code postgres} user ({@code runuser}). Stopped by the PID in its pid file; {@link #restart},
 * {@link #stopServer} and {@link #stopFast} with {@link #startAgain} keep the data (a database that goes away and
 * comes back).
 */
public final class PostgresServer implements AutoCloseable {

    private final Path bin;
    private final Path base;
    private final Path data;
    private final int port;
    private long pid;

    private PostgresServer(Path bin, Path base, int port) {
        this.bin = bin;
        this.base = base;
        this.data = base.resolve("data");
        this.port = port;
    }

    /** Starts a server, or skips the test when PostgreSQL is not installed. */
    public static PostgresServer start() throws Exception {
        Optional<Path> bin = binaries();
        Assumptions.assumeTrue(bin.isPresent(), "PostgreSQL is not installed (Debian package postgresql;"
                + " .ci/run installs it): skipping the PostgreSQL store tests");
        Path base = Files.createTempDirectory("phasegrid-pg-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        PostgresServer server = new PostgresServer(bin.get(), base, FreePorts.take());
        try {
            if (isRoot()) {
                run(List.of("chown", "postgres:postgres", base.toString()));
            }
            server.asOwner("initdb", "-D", server.data.toString(), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                    "--no-sync");
            server.startServer();
            return server;
        } catch (Exception | AssertionError e) {
            server.close();
            throw e;
        }
    }

    private static Optional<Path> binaries() throws IOException {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparing(p -> Integer.parseInt(p.getParent().getFileName().toString())));
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private void startServer() throws Exception {
        asOwner("pg_ctl", "-D", data.toString(), "-l", base.resolve("server.log").toString(), "-w", "-t", "60",
                "-o", "-p " + port + " -k " + base + " -c listen_addresses=127.0.0.1 -c fsync=off"
                        + " -c synchronous_commit=off -c full_page_writes=off", "start");
        pid = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).strip());
    }

    private void asOwner(String program, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        if (isRoot()) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.add(bin.resolve(program).toString());
        command.addAll(List.of(args));
        run(command);
    }

    private static void run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish in 120 s:\n" + output);
        }
        if (process.exitValue() != 0) {
            throw new AssertionError(command + " exited " + process.exitValue() + ":\n" + output);
        }
    }

    /** The JDBC URL of the {@code postgres} database as the {@code postgres} user. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    }

    public long pid() {
        return pid;
    }

    /** Stops the server at once (as a crash would) and starts it again on the same data and port. */
    public void restart() throws Exception {
        stopServer();
        startServer();
    }

    /** Stops the server at once; {@link #startAgain} brings it back. */
    public void stopServer() throws Exception {
        if (pid == 0) {
            return;
        }
        try {
            // immediate: the postmaster (this pid) quits at once and takes its backends with it, as in a crash
            asOwner("pg_ctl", "-D", data.toString(), "-m", "immediate", "-w", "stop");
        } finally {
            ProcessHandle.of(pid).ifPresent(p -> {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.onExit().orTimeout(30, TimeUnit.SECONDS).join();
            });
        }
        pid = 0;
        Files.deleteIfExists(data.resolve("postmaster.pid"));
    }

    /**
     * Stops the server as an operator would: a fast shutdown (SIGINT to the postmaster, by its PID), which ends every
     * client's connection, rolls back open transactions and writes a checkpoint; waits until it has exited.
     * {@link #startAgain} brings it back on the same data and port.
     */
    public void stopFast() throws Exception {
        if (pid == 0) {
            return;
        }
        Optional<ProcessHandle> postmaster = ProcessHandle.of(pid);
        run(List.of("kill", "-INT", Long.toString(pid)));
        try {
            postmaster.ifPresent(p -> p.onExit().orTimeout(60, TimeUnit.SECONDS).join());
        } catch (RuntimeException notDown) {
            stopServer();
            throw new AssertionError("PostgreSQL (pid " + pid + ") still ran 60 s after a fast shutdown", notDown);
        }
        pid = 0;
    }

    /** Starts the server again on its data and port, after {@link #stopServer} or {@link #stopFast}. */
    public void startAgain() throws Exception {
        startServer();
    }

    @Override
    public void close() throws Exception {
        try {
            stopServer();
        } finally {
            try (Stream<Path> walk = Files.walk(base)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
