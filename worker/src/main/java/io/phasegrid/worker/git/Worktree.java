package io.phasegrid.worker.git;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The git operations PhaseGrid makes in one phase worktree: merge inputs, commit leftovers, read HEAD. */
public final class Worktree {

    /** Conflicts in these files are resolved by keeping the current side: the integrator rewrites them anyway. */
    static final Set<String> ORCHESTRATOR_FILES = Set.of(".planning/STATE.md", ".planning/ROADMAP.md");

    private final Path path;
    private final Git git;

    public Worktree(Path path, Git git) {
        this.path = path;
        this.git = git.in(path);
    }

    public Path path() {
        return path;
    }

    /** The commit HEAD points at. */
    public String head() throws InterruptedException {
        return git.run("rev-parse", "HEAD");
    }

    /**
     * Merges {@code commit} into HEAD ({@code --no-ff}, this message). STATE.md and ROADMAP.md conflicts keep HEAD's
     * side; any other conflict is left in the index and its paths returned, sorted (empty = merged and committed).
     */
    public List<String> merge(String commit, String message) throws InterruptedException {
        Git.Result merge = git.exec(null, "merge", "-q", "--no-ff", "--no-edit", "-m", message, commit);
        if (merge.exitCode() == 0) {
            return List.of();
        }
        List<String> unmerged = unmerged();
        if (unmerged.isEmpty()) {
            throw new GitException("git merge " + commit, merge.exitCode(), merge.stderr() + merge.stdout());
        }
        List<String> others = new ArrayList<>();
        for (String file : unmerged) {
            if (ORCHESTRATOR_FILES.contains(file)) {
                keepOurs(file);
            } else {
                others.add(file);
            }
        }
        if (others.isEmpty()) {
            git.run("commit", "-q", "--no-edit", "--no-verify");
        }
        return others;
    }

    private void keepOurs(String file) throws InterruptedException {
        if (git.exec(null, "checkout", "--ours", "--", file).exitCode() == 0) {
            git.run("add", "--", file);
        } else {
            git.run("rm", "-q", "--cached", "--ignore-unmatch", "--", file); // deleted on our side
        }
    }

    /** The paths with unresolved conflicts, sorted. */
    public List<String> unmerged() throws InterruptedException {
        String out = git.run("diff", "--name-only", "-z", "--diff-filter=U");
        Set<String> paths = new TreeSet<>();
        for (String p : out.split("\0")) {
            if (!p.isEmpty()) {
                paths.add(p);
            }
        }
        return List.copyOf(paths);
    }

    /** Whether a merge is in progress (MERGE_HEAD exists). */
    public boolean merging() throws InterruptedException {
        return git.exec(null, "rev-parse", "-q", "--verify", "MERGE_HEAD").exitCode() == 0;
    }

    /** Stops a conflicted merge, back to HEAD. */
    public void abortMerge() throws InterruptedException {
        git.exec(null, "merge", "--abort");
    }

    /** Concludes a merge an operator's resolver resolved without committing it. */
    public void concludeMerge() throws InterruptedException {
        git.run("add", "-A");
        git.run("commit", "-q", "--no-edit", "--no-verify");
    }

    /**
     * Commits every change in the worktree (tracked and untracked, ignored files excepted) with {@code message};
     * returns the paths committed, empty when the tree was clean.
     */
    public List<String> commitAll(String message) throws InterruptedException {
        List<String> changed = changedPaths();
        if (changed.isEmpty()) {
            return changed;
        }
        git.run("add", "-A");
        git.run("commit", "-q", "--no-verify", "-m", message);
        return changed;
    }

    /** The paths {@code git status} reports as changed or untracked, sorted. */
    public List<String> changedPaths() throws InterruptedException {
        String out = git.run("status", "--porcelain=v1", "-z", "--untracked-files=all");
        Set<String> paths = new TreeSet<>();
        String[] entries = out.split("\0");
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i];
            if (entry.length() < 4) {
                continue;
            }
            paths.add(entry.substring(3));
            if (entry.charAt(0) == 'R' || entry.charAt(0) == 'C') {
                i++; // a rename's second field is its source
            }
        }
        return List.copyOf(paths);
    }

    /** Whether {@code relative} is a regular file of the worktree. */
    public boolean hasFile(String relative) {
        Path file = path.resolve(relative).normalize();
        return file.startsWith(path) && Files.isRegularFile(file);
    }
}
