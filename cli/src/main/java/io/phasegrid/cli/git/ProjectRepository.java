package io.phasegrid.cli.git;

import io.phasegrid.cli.InvalidInputException;
import io.phasegrid.common.parse.PlanningLayout;
import io.phasegrid.worker.git.Git;
import io.phasegrid.worker.git.GitException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The git repository of a GSD project as the client sees it: the project root (the folder holding {@code .planning})
 * when it is the top level of a git work tree. Reads the roadmap as of a commit, checks a base against a remote,
 * and delivers a result into the user's own checkout. The user's git configuration applies (remotes, credentials).
 */
public final class ProjectRepository {

    private final Path root;
    private final Git git;

    private ProjectRepository(Path root, Git git) {
        this.root = root;
        this.git = git;
    }

    /**
     * The repository of the project at {@code path} (a project root, its .planning folder or its ROADMAP.md), or
     * empty when the project root is not the top level of a git work tree: a .planning folder nested inside some
     * other repository (a fixture, an example) is not a git project.
     */
    public static Optional<ProjectRepository> of(Path path) {
        Optional<PlanningLayout> layout = PlanningLayout.of(path);
        if (layout.isEmpty() || layout.get().isBareFile()
                || !PlanningLayout.PLANNING.equals(String.valueOf(layout.get().planningDir().getFileName()))) {
            return Optional.empty();
        }
        Path root = layout.get().planningDir().toAbsolutePath().normalize().getParent();
        Git git = Git.cli().in(root);
        try {
            Git.Result top = git.exec(null, "rev-parse", "--show-toplevel");
            if (top.exitCode() != 0 || !sameFile(Path.of(top.stdout().strip()), root)) {
                return Optional.empty();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (GitException e) {
            return Optional.empty(); // no git installed: not a git project as far as the client can tell
        }
        return Optional.of(new ProjectRepository(root, git));
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    public Path root() {
        return root;
    }

    /** {@code file://} URL of this repository (what the embedded run's workers fetch from and push to). */
    public String fileUrl() {
        return root.toUri().toString().replaceFirst("/$", "");
    }

    /** The full commit id {@code rev} names; invalid input naming {@code rev} when it names no commit. */
    public String commit(String rev) throws InterruptedException {
        Git.Result r = git.exec(null, "rev-parse", "--verify", "--quiet", rev + "^{commit}");
        if (r.exitCode() != 0) {
            throw new InvalidInputException(root + ": '" + rev + "' is not a commit of this repository");
        }
        return r.stdout().strip();
    }

    /** The branch HEAD is on, empty when HEAD is detached. */
    public String currentBranch() throws InterruptedException {
        Git.Result r = git.exec(null, "symbolic-ref", "--quiet", "--short", "HEAD");
        return r.exitCode() == 0 ? r.stdout().strip() : "";
    }

    /** Whether {@code rev} is the name of a local branch. */
    public boolean isBranch(String rev) throws InterruptedException {
        return git.exec(null, "show-ref", "--verify", "--quiet", "refs/heads/" + rev).exitCode() == 0;
    }

    /**
     * What is not part of a run based on HEAD: modified tracked files and untracked files under .planning, as
     * {@code git status --porcelain} lines.
     */
    public List<String> uncommitted() throws InterruptedException {
        List<String> dirty = new ArrayList<>();
        for (String line : git.run("status", "--porcelain", "--untracked-files=all").split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            boolean untracked = line.startsWith("??");
            if (!untracked || line.substring(3).startsWith(PlanningLayout.PLANNING + "/")) {
                dirty.add(line);
            }
        }
        return dirty;
    }

    /** Writes the {@code .planning} tree of {@code commit} under {@code into}; returns that {@code .planning} folder. */
    public Path checkoutPlanning(String commit, Path into) throws InterruptedException, IOException {
        Path tree = Files.createDirectories(into.resolve("tree"));
        if (git.exec(null, "cat-file", "-e", commit + ":" + PlanningLayout.PLANNING).exitCode() != 0) {
            throw new InvalidInputException(root + ": commit " + commit + " has no .planning folder"
                    + " (commit the roadmap first: git add .planning && git commit)");
        }
        git.withEnv(Map.of("GIT_INDEX_FILE", into.resolve("index").toString()))
                .run("--work-tree=" + tree, "checkout", commit, "--", PlanningLayout.PLANNING);
        return tree.resolve(PlanningLayout.PLANNING);
    }

    /** The URL of the remote the current branch tracks; invalid input when it tracks none. */
    public String trackedRemoteUrl() throws InterruptedException {
        String branch = currentBranch();
        Git.Result remote = branch.isEmpty() ? null : git.exec(null, "config", "branch." + branch + ".remote");
        if (remote == null || remote.exitCode() != 0 || remote.stdout().isBlank()) {
            throw new InvalidInputException(root + ": the current branch tracks no remote: say where workers fetch"
                    + " the project with --repo URL");
        }
        return git.run("remote", "get-url", remote.stdout().strip()).strip();
    }

    /**
     * Fails clearly unless {@code commit} is on {@code url}: the tip of one of its refs, or an ancestor of a tip
     * this repository has.
     */
    public void requireOnRemote(String url, String commit) throws InterruptedException {
        Git.Result listing = git.exec(null, "ls-remote", url);
        if (listing.exitCode() != 0) {
            throw new InvalidInputException("--repo " + url + ": cannot list its refs: " + listing.stderr().strip());
        }
        for (String line : listing.stdout().split("\n")) {
            String tip = line.split("\t", 2)[0].strip();
            if (tip.equals(commit)) {
                return;
            }
            if (tip.length() == 40 && git.exec(null, "cat-file", "-e", tip + "^{commit}").exitCode() == 0
                    && git.exec(null, "merge-base", "--is-ancestor", commit, tip).exitCode() == 0) {
                return;
            }
        }
        throw new InvalidInputException("--repo " + url + ": the base commit " + commit + " is not on it"
                + " (push it first, e.g. git push " + url + " HEAD)");
    }

    /**
     * Moves the user's checkout to {@code result} when that is a fast-forward: HEAD still on {@code branch} at
     * {@code base} and no tracked file modified. Returns what happened, for the user.
     */
    public String fastForward(String branch, String base, String result) throws InterruptedException {
        if (branch.isEmpty() || !branch.equals(currentBranch())) {
            return "the checkout is not on " + (branch.isEmpty() ? "the base branch" : branch)
                    + ": not updated, merge " + result + " yourself";
        }
        if (!commit("HEAD").equals(base)) {
            return branch + " moved since the base: not fast-forwarded, merge " + result + " yourself";
        }
        if (!git.run("status", "--porcelain", "--untracked-files=no").isBlank()) {
            return "the checkout has uncommitted changes: not updated, merge " + result + " yourself";
        }
        Git.Result merge = git.exec(null, "merge", "--ff-only", "--quiet", result);
        if (merge.exitCode() != 0) {
            return branch + " not fast-forwarded (" + merge.stderr().strip() + "): merge " + result + " yourself";
        }
        return branch + " fast-forwarded to " + result;
    }
}
