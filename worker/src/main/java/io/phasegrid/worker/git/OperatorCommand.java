package io.phasegrid.worker.git;

import io.phasegrid.worker.executor.CommandTemplate;
import io.phasegrid.worker.executor.ProcessTree;
import io.phasegrid.worker.executor.ShellExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of the operator's git-step commands ({@code --git-resolver}, {@code --git-integrate-command},
 * {@code --git-verify-command}) in a worktree: argv from the template, no shell, standard input closed, the
 * worker's credentials stripped from its environment, output kept in a temporary file, the process tree destroyed
 * on timeout and interrupt.
 */
final class OperatorCommand {

    private static final Duration KILL_GRACE = Duration.ofSeconds(2);
    private static final int TAIL_CHARS = 2_000;

    private OperatorCommand() {
    }

    /** How it ended: the exit code (-1 for a timeout or a start failure) and the tail of its output. */
    record Result(int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }

        /** "exited N: tail" for error messages. */
        String describe() {
            return (exitCode < 0 ? "did not finish" : "exited " + exitCode) + (output.isBlank() ? "" : ": " + output);
        }
    }

    static Result run(CommandTemplate command, Map<String, String> values, Path directory, Duration timeout)
            throws InterruptedException {
        List<String> argv = command.expand(values);
        Path log;
        try {
            log = Files.createTempFile("phasegrid-git-command-", ".log");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            ProcessBuilder builder = new ProcessBuilder(argv).directory(directory.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            ShellExecutor.stripCredentials(builder.environment());
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                return new Result(-1, "cannot start " + argv.get(0) + ": " + e.getMessage());
            }
            try {
                process.getOutputStream().close();
            } catch (IOException e) {
                // it does not read its input
            }
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    ProcessTree.destroy(process.toHandle(), List.of(), KILL_GRACE);
                    return new Result(-1, "timed out after " + timeout.toSeconds() + " s");
                }
            } catch (InterruptedException e) {
                ProcessTree.destroy(process.toHandle(), List.of(), KILL_GRACE);
                throw e;
            }
            return new Result(process.exitValue(), tail(log));
        } finally {
            try {
                Files.deleteIfExists(log);
            } catch (IOException e) {
                // a temporary file
            }
        }
    }

    private static String tail(Path log) {
        try {
            String text = Files.readString(log, StandardCharsets.UTF_8).strip();
            return text.length() <= TAIL_CHARS ? text : "..." + text.substring(text.length() - TAIL_CHARS);
        } catch (IOException e) {
            return "";
        }
    }
}
