package io.phasegrid.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A GSD project in a real git repository for end-to-end tests: a working clone with a {@code .planning} tree,
 * committed, and (optionally) pushed to a bare repository served by a {@link GitDaemon}. Git runs with no user or
 * system configuration, and a fixed identity.
 */
final class GitProject {

    private final Path work;

    private GitProject(Path work) {
        this.work = work;
    }

    /** A new repository at {@code work} on branch {@code main}. */
    static GitProject init(Path work) throws Exception {
        Files.createDirectories(work);
        git(work, "init", "-q", "-b", "main");
        return new GitProject(work);
    }

    Path dir() {
        return work;
    }

    /** Writes a file (parents created). */
    GitProject write(String path, String content) throws IOException {
        Path file = work.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return this;
    }

    /** {@code git add -A && git commit -m MESSAGE}; returns the new HEAD commit. */
    String commit(String message) throws Exception {
        git(work, "add", "-A");
        git(work, "commit", "-q", "-m", message);
        return head();
    }

    String head() throws Exception {
        return git(work, "rev-parse", "HEAD").strip();
    }

    /** Creates {@code daemon.base()/name.git} from this repository and makes it {@code origin}; returns its URL. */
    String publish(GitDaemon daemon, String name) throws Exception {
        Path bare = daemon.base().resolve(name + ".git");
        git(work.getParent(), "clone", "-q", "--bare", work.toString(), bare.toString());
        String url = daemon.url(name + ".git");
        git(work, "remote", "add", "origin", url);
        git(work, "fetch", "-q", "origin");
        git(work, "branch", "-q", "--set-upstream-to=origin/main", "main");
        return url;
    }

    /** The commit {@code ref} points at on {@code url}; empty when the ref does not exist. */
    static String remoteRef(String url, String ref) throws Exception {
        String out = git(Path.of("."), "ls-remote", url, ref).strip();
        return out.isEmpty() ? "" : out.split("\\s+")[0];
    }

    /** Fetches every ref of {@code url} into this repository (under refs/remotes/check/ and refs/phasegrid/). */
    void fetchAll(String url) throws Exception {
        git(work, "fetch", "-q", "--force", url, "+refs/heads/*:refs/remotes/check/*",
                "+refs/phasegrid/*:refs/phasegrid/*");
    }

    /** The files of a commit. */
    List<String> files(String commit) throws Exception {
        return lines(git(work, "ls-tree", "-r", "--name-only", commit));
    }

    /** A file's content at a commit. */
    String show(String commit, String path) throws Exception {
        return git(work, "show", commit + ":" + path);
    }

    /** The subjects of every commit reachable from {@code commit}, newest first. */
    List<String> subjects(String commit) throws Exception {
        return lines(git(work, "log", "--format=%s", commit));
    }

    /** Runs git in this repository. */
    String git(String... args) throws Exception {
        return git(work, args);
    }

    private static List<String> lines(String text) {
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n")));
        lines.removeIf(String::isBlank);
        return lines;
    }

    static String git(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=E2E", "-c", "user.email=e2e@localhost",
                "-c", "init.defaultBranch=main", "-c", "protocol.file.allow=always"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        builder.environment().put("GIT_TERMINAL_PROMPT", "0");
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("git %s finished", String.join(" ", args)).isTrue();
        if (process.exitValue() != 0) {
            throw new AssertionError("git " + String.join(" ", args) + " exited " + process.exitValue() + ":\n" + out);
        }
        return out;
    }
}
