package io.phasegrid.worker.git;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A repository for tests: a bare "origin" reached over {@code file://}, and a working clone in which tests make
 * commits and push them to origin's branches.
 */
final class Origin {

    private final Path bare;
    private final Path work;
    private final Git git = Git.cli();

    private Origin(Path bare, Path work) {
        this.bare = bare;
        this.work = work;
    }

    /** An origin whose main branch holds a small GSD project: a roadmap, a state file and a README. */
    static Origin create(Path dir) throws Exception {
        Path bare = dir.resolve("origin.git");
        Path work = dir.resolve("seed");
        Files.createDirectories(bare);
        Files.createDirectories(work);
        Git.cli().in(bare).run("init", "-q", "--bare", "--initial-branch=main");
        Git.cli().in(work).run("init", "-q", "--initial-branch=main");
        Origin origin = new Origin(bare, work);
        origin.write(".planning/ROADMAP.md", """
                # Roadmap

                - [ ] **Phase 1: Alpha** - alpha
                - [ ] **Phase 2: Beta** - beta
                - [ ] **Phase 3: Gamma** - gamma

                ### Phase 1: Alpha
                Plans:
                - [ ] 01-01: Alpha plan 1
                - [ ] 01-02: Alpha plan 2

                ### Phase 2: Beta
                Plans:
                - [ ] 02-01: Beta plan 1
                """);
        origin.write(".planning/STATE.md", """
                # Project State

                Phase: 1 of 3 (Alpha)
                Status: Ready to execute
                Last activity: 2026-12-01 -- roadmap created
                """);
        origin.write("README.md", "# demo\n");
        return origin;
    }

    String url() {
        return bare.toUri().toString().replaceFirst("^file:/(?!/)", "file:///");
    }

    void write(String path, String text) throws IOException {
        Path file = work.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    /** Commits everything on the current branch of the clone and pushes it to {@code branch} on origin. */
    String commit(String message, String branch) throws Exception {
        git.in(work).run("add", "-A");
        git.in(work).run("commit", "-q", "--allow-empty", "-m", message);
        String sha = git.in(work).run("rev-parse", "HEAD");
        git.in(work).run("push", "-q", "--force", url(), "HEAD:refs/heads/" + branch);
        return sha;
    }

    /** Starts a new line of commits in the clone at {@code commit}. */
    void checkout(String commit) throws Exception {
        git.in(work).run("checkout", "-q", "--detach", commit);
    }

    /** The commit {@code ref} points at on origin, or "" when it does not exist. */
    String ref(String ref) throws Exception {
        Git.Result r = git.in(bare).exec(null, "rev-parse", "-q", "--verify", ref + "^{commit}");
        return r.exitCode() == 0 ? r.stdout() : "";
    }

    List<String> files(String commit) throws Exception {
        return List.of(git.in(bare).run("ls-tree", "-r", "--name-only", commit).split("\n"));
    }

    String show(String commit, String path) throws Exception {
        return git.in(bare).run("show", commit + ":" + path);
    }

    List<String> subjects(String commit) throws Exception {
        return List.of(git.in(bare).run("log", "--format=%s", commit).split("\n"));
    }

    List<String> parents(String commit) throws Exception {
        String line = git.in(bare).run("rev-list", "--parents", "-n", "1", commit);
        List<String> words = List.of(line.split(" "));
        return words.subList(1, words.size());
    }

    boolean isAncestor(String ancestor, String commit) throws Exception {
        return git.in(bare).exec(null, "merge-base", "--is-ancestor", ancestor, commit).exitCode() == 0;
    }

    Map<String, String> refs(String prefix) throws Exception {
        String out = git.in(bare).run("for-each-ref", "--format=%(refname) %(objectname)", prefix);
        java.util.Map<String, String> refs = new java.util.TreeMap<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                String[] parts = line.split(" ");
                refs.put(parts[0], parts[1]);
            }
        }
        return refs;
    }
}
