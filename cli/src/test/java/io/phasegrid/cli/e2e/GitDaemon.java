package io.phasegrid.cli.e2e;

import io.phasegrid.common.testing.FreePorts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code git daemon} on 127.0.0.1 and a free port, serving (and accepting pushes to) every bare repository under
 * its base directory, as a team's git server would. Stopped by PID, with the children it forked per connection.
 */
final class GitDaemon implements AutoCloseable {

    private final Path base;
    private final int port;
    private final Process process;
    private final Path log;

    private GitDaemon(Path base, int port, Process process, Path log) {
        this.base = base;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /** Starts a daemon serving {@code base} and waits until it accepts connections (at most 30 s). */
    static GitDaemon start(Path base) throws Exception {
        Files.createDirectories(base);
        int port = FreePorts.take();
        Path log = base.resolveSibling("git-daemon-" + port + ".log");
        Process process = new ProcessBuilder("git", "daemon", "--listen=127.0.0.1", "--port=" + port,
                "--base-path=" + base, "--export-all", "--enable=receive-pack", "--reuseaddr",
                "--informative-errors", base.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        GitDaemon daemon = new GitDaemon(base, port, process, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!daemon.accepts()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                String output = Files.exists(log) ? Files.readString(log) : "";
                daemon.close();
                throw new AssertionError("git daemon did not start on port " + port + ":\n" + output);
            }
            Thread.sleep(50);
        }
        return daemon;
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Where bare repositories go to be served. */
    Path base() {
        return base;
    }

    /** The URL prefix of every repository it serves ({@code git://127.0.0.1:PORT/}). */
    String urlPrefix() {
        return "git://127.0.0.1:" + port + "/";
    }

    /** The URL of {@code base/name}. */
    String url(String name) {
        return urlPrefix() + name;
    }

    @Override
    public void close() {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }
}
