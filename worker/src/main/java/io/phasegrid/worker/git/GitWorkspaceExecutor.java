package io.phasegrid.worker.git;

import io.phasegrid.worker.executor.ExecutionListener;
import io.phasegrid.worker.executor.GitWork;
import io.phasegrid.worker.executor.PhaseExecutor;
import io.phasegrid.worker.executor.PhaseOutcome;
import io.phasegrid.worker.executor.PhaseTask;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs git leases around any executor; plain leases (no {@link PhaseTask#git()}) go straight to the inner one.
 *
 * <p>Per git lease: the repository must match {@code --git-allow}; the cache clone of its URL (see
 * {@link RepoCache}) fetches the commits the lease needs; a worktree at {@link PhaseTask#workspace()} on branch
 * {@code worktree-agent-pg/<run>/<phase>/e<epoch>} starts at the resume commit, else the resolution commit, else
 * the base with the inputs merged ({@code --no-ff}, one merge per input after the first). A merge conflict outside
 * STATE.md and ROADMAP.md, unless the operator's resolver resolves it, ends the lease CONFLICT with zero tokens
 * and no plan run. Then a phase runs its plans with {@link PhasePlans}, the integration step with
 * {@link GitIntegration}. The worktree and its branch are removed whatever happens.
 */
public final class GitWorkspaceExecutor implements PhaseExecutor {

    private static final Logger log = LoggerFactory.getLogger(GitWorkspaceExecutor.class);

    /** Where the cache clones and helper scripts live under the worker's workspace root. */
    public static final String CACHE_DIR = ".git-cache";

    private final PhaseExecutor inner;
    private final GitOptions options;
    private final RepoCache cache;

    public GitWorkspaceExecutor(PhaseExecutor inner, GitOptions options, Path workspaceRoot) {
        this.inner = Objects.requireNonNull(inner, "inner");
        this.options = Objects.requireNonNull(options, "options");
        Path dir = workspaceRoot.resolve(CACHE_DIR);
        this.cache = new RepoCache(dir, Git.cli(), new GitCredentials(options, dir.resolve("helpers")));
    }

    /** The executor plain leases go to. */
    public PhaseExecutor inner() {
        return inner;
    }

    @Override
    public boolean needsWorkspace() {
        return inner.needsWorkspace();
    }

    @Override
    public PhaseOutcome execute(PhaseTask task, ExecutionListener listener) throws InterruptedException {
        GitWork git = task.git();
        if (git == null) {
            return inner.execute(task, listener);
        }
        if (!options.allows(git.repoUrl())) {
            removeIfEmpty(task.workspace());
            return PhaseOutcome.failed(0, "repository " + git.repoUrl() + " is not allowed on this worker"
                    + " (allowed: " + (options.allow().isEmpty() ? "none" : String.join(", ", options.allow()))
                    + "; see --git-allow)");
        }
        RepoCache.Checkout checkout;
        Path repo;
        try {
            repo = cache.repository(git.repoUrl());
            cache.fetch(repo, git.repoUrl(), needed(git), task.runId());
            checkout = cache.addWorktree(repo, branch(task), first(git));
        } catch (GitException e) {
            removeIfEmpty(task.workspace());
            return PhaseOutcome.failed(0, "cannot prepare the worktree of " + git.repoUrl() + ": " + e.getMessage());
        }
        try {
            Worktree worktree = new Worktree(checkout.path(), cache.gitFor(checkout.path(), git.repoUrl()));
            PhaseOutcome conflict = mergeInputs(task, worktree);
            if (conflict != null) {
                return conflict;
            }
            GitWork prepared = git.startingAt(worktree.head());
            log.info("run {} phase {}: worktree {} at {}", task.runId(), task.phaseKey(), checkout.path(),
                    prepared.startCommit());
            PhaseTask inWorktree = task.with(checkout.path(), prepared);
            if (git.integration()) {
                return new GitIntegration(options, cache, repo, worktree).integrate(inWorktree);
            }
            return new PhasePlans(cache, repo, worktree).run(inner, inWorktree, listener);
        } catch (GitException e) {
            return PhaseOutcome.failed(0, e.getMessage());
        } finally {
            boolean interrupted = Thread.interrupted(); // the worktree is removed even when the phase was stopped
            try {
                cache.removeWorktree(checkout);
                removeIfEmpty(task.workspace());
            } catch (RuntimeException e) {
                log.warn("run {} phase {}: could not remove worktree {}", task.runId(), task.phaseKey(),
                        checkout.path(), e);
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** The folder the agent created for a worktree that was never added. */
    private static void removeIfEmpty(Path workspace) {
        try {
            Files.deleteIfExists(workspace);
        } catch (IOException e) {
            // not empty, or already gone: nothing of ours to clean up
        }
    }

    /** The commits the worktree is made of. */
    private static List<String> needed(GitWork git) {
        if (!git.resumeCommit().isEmpty() && !git.integration()) {
            return List.of(git.resumeCommit());
        }
        if (!git.resolutionCommit().isEmpty() && !git.integration()) {
            return List.of(git.resolutionCommit());
        }
        List<String> commits = new ArrayList<>();
        commits.add(git.baseCommit());
        git.inputs().forEach(i -> commits.add(i.commit()));
        return commits;
    }

    /** Where the worktree starts, before the remaining inputs are merged. */
    private static String first(GitWork git) {
        if (!git.integration()) {
            if (!git.resumeCommit().isEmpty()) {
                return git.resumeCommit();
            }
            if (!git.resolutionCommit().isEmpty()) {
                return git.resolutionCommit();
            }
            if (!git.inputs().isEmpty()) {
                return git.inputs().get(0).commit();
            }
        }
        return git.baseCommit();
    }

    /** The inputs still to merge: all of them for the integration, those after the first for a fresh phase. */
    private static List<GitWork.Input> toMerge(GitWork git) {
        if (git.integration()) {
            return git.inputs();
        }
        if (!git.resumeCommit().isEmpty() || !git.resolutionCommit().isEmpty() || git.inputs().isEmpty()) {
            return List.of();
        }
        return git.inputs().subList(1, git.inputs().size());
    }

    /** Merges the inputs; the CONFLICT outcome when one conflicts beyond repair, else null. */
    private PhaseOutcome mergeInputs(PhaseTask task, Worktree worktree) throws InterruptedException {
        for (GitWork.Input input : toMerge(task.git())) {
            List<String> conflicts = worktree.merge(input.commit(),
                    "phasegrid: merge phase " + input.phaseKey() + " " + input.phaseName());
            if (!conflicts.isEmpty() && !resolved(task, input, worktree, conflicts)) {
                worktree.abortMerge();
                log.warn("run {} phase {}: merging phase {} conflicts in {}", task.runId(), task.phaseKey(),
                        input.phaseKey(), conflicts);
                return PhaseOutcome.conflict(conflicts);
            }
        }
        return null;
    }

    /** Runs the operator's resolver, if any: true when it exited 0 and left no conflict. */
    private boolean resolved(PhaseTask task, GitWork.Input input, Worktree worktree, List<String> conflicts)
            throws InterruptedException {
        if (options.resolver() == null) {
            return false;
        }
        Map<String, String> values = new LinkedHashMap<>();
        values.put("phase", task.phaseKey());
        values.put("phase_name", task.phaseName());
        values.put("run", task.runId());
        values.put("repo", task.git().repoUrl());
        values.put("workspace", worktree.path().toString());
        OperatorCommand.Result result = OperatorCommand.run(options.resolver(), values, worktree.path(),
                options.commandTimeout());
        if (!result.ok() || !worktree.unmerged().isEmpty()) {
            log.warn("run {} phase {}: the resolver did not resolve {} (merging phase {}): {}", task.runId(),
                    task.phaseKey(), conflicts, input.phaseKey(), result.describe());
            return false;
        }
        if (worktree.merging()) {
            worktree.concludeMerge();
        }
        log.info("run {} phase {}: the resolver resolved {}", task.runId(), task.phaseKey(), conflicts);
        return true;
    }

    /** {@code worktree-agent-pg/<run>/<phase>/e<epoch>}: a branch name GSD's executor commits on. */
    static String branch(PhaseTask task) {
        return "worktree-agent-pg/" + refSafe(task.runId()) + "/" + refSafe(task.phaseKey()) + "/e" + task.epoch();
    }

    /** A ref path element of {@code A-Z a-z 0-9 . _ -} only, not starting with '.', without "..", not ".lock". */
    static String refSafe(String s) {
        String safe = s.replaceAll("[^A-Za-z0-9._-]", "_").replace("..", "__");
        if (safe.isEmpty() || safe.startsWith(".") || safe.endsWith(".lock") || safe.endsWith(".")) {
            safe = "_" + safe + "_";
        }
        return safe;
    }
}
