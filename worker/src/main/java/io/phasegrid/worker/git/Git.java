package io.phasegrid.worker.git;

import io.phasegrid.worker.executor.ProcessTree;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one way PhaseGrid runs git: the {@code git} CLI with an argv list (never a shell), in a given directory, with
 * a controlled environment, a timeout, and the whole process tree destroyed when it is over its time or the thread
 * is interrupted. Immutable: {@link #in}, {@link #withEnv} and {@link #withTimeout} return new instances.
 *
 * <p>Git's own configuration is isolated from the user's: {@code GIT_CONFIG_NOSYSTEM}, no global config unless
 * asked, no terminal prompts, a fixed identity for the commits PhaseGrid makes.
 */
public final class Git {

    /** The oldest git PhaseGrid works with: 2.38 brought {@code merge-tree --write-tree} (conflicts without a worktree). */
    public static final int[] MINIMUM_VERSION = {2, 38};

    private static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration KILL_GRACE = Duration.ofSeconds(2);
    private static final Pattern VERSION = Pattern.compile("git version (\\d+)\\.(\\d+)");

    private final String executable;
    private final Path directory;
    private final Map<String, String> environment;
    private final Duration timeout;

    private Git(String executable, Path directory, Map<String, String> environment, Duration timeout) {
        this.executable = executable;
        this.directory = directory;
        this.environment = Map.copyOf(environment);
        this.timeout = timeout;
    }

    /** The {@code git} on the PATH, with PhaseGrid's isolated environment. */
    public static Git cli() {
        return new Git("git", null, baseEnvironment(), DEFAULT_TIMEOUT);
    }

    private static Map<String, String> baseEnvironment() {
        return Map.of(
                "GIT_CONFIG_NOSYSTEM", "1",
                "GIT_TERMINAL_PROMPT", "0",
                "GIT_AUTHOR_NAME", "PhaseGrid",
                "GIT_AUTHOR_EMAIL", "phasegrid@localhost",
                "GIT_COMMITTER_NAME", "PhaseGrid",
                "GIT_COMMITTER_EMAIL", "phasegrid@localhost",
                "LC_ALL", "C");
    }

    /** The same git, run in {@code directory}. */
    public Git in(Path directory) {
        return new Git(executable, Objects.requireNonNull(directory, "directory"), environment, timeout);
    }

    /** The same git with these environment variables added (or replaced). */
    public Git withEnv(Map<String, String> extra) {
        Map<String, String> env = new java.util.HashMap<>(environment);
        env.putAll(extra);
        return new Git(executable, directory, env, timeout);
    }

    /** The same git with another limit per command. */
    public Git withTimeout(Duration limit) {
        return new Git(executable, directory, environment, Objects.requireNonNull(limit, "limit"));
    }

    /** The environment git commands get on top of this process's (tests and diagnostics). */
    public Map<String, String> environment() {
        return environment;
    }

    /**
     * Runs {@code git args...}; a non-zero exit is a {@link GitException} naming the command and git's message.
     *
     * @return standard output, trailing newline removed
     */
    public String run(String... args) throws InterruptedException {
        Result result = exec(null, args);
        if (result.exitCode() != 0) {
            throw new GitException(describe(args), result.exitCode(), result.stderr());
        }
        return result.stdout();
    }

    /** Runs {@code git args...} and returns its exit code and output, whatever the exit code. */
    public Result exec(byte[] stdin, String... args) throws InterruptedException {
        List<String> argv = new ArrayList<>(args.length + 1);
        argv.add(executable);
        argv.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(argv);
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new GitException(describe(args), -1, "cannot start git: " + e.getMessage());
        }
        try {
            StreamDrain out = StreamDrain.start(process.getInputStream());
            StreamDrain err = StreamDrain.start(process.getErrorStream());
            try (var in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin);
                }
            } catch (IOException e) {
                // git exited without reading its input: its exit code and stderr say why
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                ProcessTree.destroy(process.toHandle(), List.of(), KILL_GRACE);
                throw new GitException(describe(args), -1, "timed out after " + timeout.toSeconds() + " s");
            }
            return new Result(process.exitValue(), trimNewline(out.text()), trimNewline(err.text()));
        } catch (InterruptedException e) {
            ProcessTree.destroy(process.toHandle(), List.of(), KILL_GRACE);
            throw e;
        }
    }

    /** The installed git's version as {major, minor}; a {@link GitException} if git is missing or unreadable. */
    public int[] version() throws InterruptedException {
        String text = run("--version");
        Matcher m = VERSION.matcher(text);
        if (!m.find()) {
            throw new GitException("git --version", 0, "unexpected answer: " + text);
        }
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
    }

    /** Fails with a clear message unless git is installed and at least {@link #MINIMUM_VERSION}. */
    public void requireMinimumVersion() throws InterruptedException {
        int[] v = version();
        if (v[0] < MINIMUM_VERSION[0] || (v[0] == MINIMUM_VERSION[0] && v[1] < MINIMUM_VERSION[1])) {
            throw new GitException("git --version", 0, "git " + v[0] + "." + v[1] + " is too old: PhaseGrid needs "
                    + MINIMUM_VERSION[0] + "." + MINIMUM_VERSION[1] + " or newer");
        }
    }

    private static String describe(String... args) {
        return "git " + String.join(" ", args);
    }

    private static String trimNewline(String s) {
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }

    /** A finished git command. */
    public record Result(int exitCode, String stdout, String stderr) {
    }

    /** Reads a process stream to the end on its own thread, so neither pipe can fill up and block git. */
    private static final class StreamDrain extends Thread {
        private final InputStream in;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

        private StreamDrain(InputStream in) {
            super("git-output");
            this.in = in;
            setDaemon(true);
        }

        static StreamDrain start(InputStream in) {
            StreamDrain drain = new StreamDrain(in);
            drain.start();
            return drain;
        }

        @Override
        public void run() {
            try (in) {
                in.transferTo(buffer);
            } catch (IOException e) {
                // the process died: what was read is all there is
            }
        }

        String text() throws InterruptedException {
            join();
            synchronized (buffer) {
                return buffer.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
