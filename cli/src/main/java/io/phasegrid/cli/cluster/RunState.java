package io.phasegrid.cli.cluster;

import io.phasegrid.cli.InvalidInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Where {@code phasegrid run} keeps a run's state so {@code run --resume} can continue it after a crash or Ctrl-C:
 * {@code $PHASEGRID_STATE_DIR}, else {@code $XDG_STATE_HOME/phasegrid}, else {@code ~/.local/state/phasegrid}, then
 * one folder per roadmap ({@code <name>-<hash of its path>}) holding an H2 database per invocation
 * ({@code <session>.mv.db}) and {@code last-run} ("session run-id"), the invocation {@code --resume} continues.
 * A run that finished deletes its database: only interrupted runs leave state behind.
 */
final class RunState {

    static final String STATE_DIR_ENV = "PHASEGRID_STATE_DIR";

    private final Path dir;
    private final String session;

    private RunState(Path dir, String session) {
        this.dir = dir;
        this.session = session;
    }

    /** A new invocation's state for the roadmap at {@code path}. */
    static RunState fresh(Path path) {
        return new RunState(folder(path), UUID.randomUUID().toString().substring(0, 8));
    }

    /** The last invocation's state, with the run it was following; invalid input when there is none. */
    static Resumed last(Path path) {
        Path dir = folder(path);
        Path last = dir.resolve("last-run");
        try {
            if (!Files.isRegularFile(last)) {
                throw new InvalidInputException(path + ": no interrupted run to resume (none recorded in " + dir + ")");
            }
            String[] parts = Files.readString(last, StandardCharsets.UTF_8).strip().split(" ");
            RunState state = new RunState(dir, parts[0]);
            if (parts.length != 2 || !Files.exists(state.databaseFile())) {
                throw new InvalidInputException(path + ": the last run of this roadmap finished (" + last
                        + "); nothing to resume");
            }
            return new Resumed(state, parts[1]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A recorded invocation and its run id. */
    record Resumed(RunState state, String runId) {
    }

    private static Path folder(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        String env = System.getenv(STATE_DIR_ENV);
        String xdg = System.getenv("XDG_STATE_HOME");
        Path root = env != null && !env.isBlank() ? Path.of(env)
                : xdg != null && !xdg.isBlank() ? Path.of(xdg, "phasegrid")
                : Path.of(System.getProperty("user.home"), ".local", "state", "phasegrid");
        Path named = absolute.getFileName() == null ? absolute : absolute.getFileName();
        String name = named.toString().equals(".planning") && absolute.getParent() != null
                ? String.valueOf(absolute.getParent().getFileName()) : named.toString();
        return root.resolve(name.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + hash(absolute.toString()));
    }

    private static String hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The H2 URL of this invocation's database (created on first use). */
    String jdbcUrl() throws IOException {
        Files.createDirectories(dir);
        return "jdbc:h2:file:" + dir.resolve(session) + ";DB_CLOSE_ON_EXIT=FALSE";
    }

    private Path databaseFile() {
        return dir.resolve(session + ".mv.db");
    }

    /** Records that this invocation follows {@code runId}, for {@code --resume}. */
    void recordRun(String runId) throws IOException {
        Files.createDirectories(dir);
        Path tmp = dir.resolve("last-run.tmp");
        Files.writeString(tmp, session + " " + runId + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, dir.resolve("last-run"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Deletes this invocation's database (the run finished: nothing to resume). */
    void forget() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith(session + ".")).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

    Path dir() {
        return dir;
    }
}
