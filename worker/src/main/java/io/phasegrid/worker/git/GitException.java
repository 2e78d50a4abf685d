package io.phasegrid.worker.git;

/** A git command that failed: the command, its exit code and what git said. */
public final class GitException extends RuntimeException {

    private final String command;
    private final int exitCode;
    private final String gitMessage;

    public GitException(String command, int exitCode, String gitMessage) {
        super(command + (exitCode >= 0 ? " exited " + exitCode : "") + ": " + firstLines(gitMessage));
        this.command = command;
        this.exitCode = exitCode;
        this.gitMessage = gitMessage;
    }

    private static String firstLines(String text) {
        String t = text.strip();
        return t.length() <= 1_000 ? t : t.substring(0, 1_000) + "…";
    }

    public String command() {
        return command;
    }

    /** Git's exit code; -1 when it did not start or was stopped over its time. */
    public int exitCode() {
        return exitCode;
    }

    /** Git's standard error. */
    public String gitMessage() {
        return gitMessage;
    }
}
