package io.phasegrid.worker.git;

import io.phasegrid.worker.executor.ExecutionListener;
import io.phasegrid.worker.executor.GitWork;
import io.phasegrid.worker.executor.PhaseExecutor;
import io.phasegrid.worker.executor.PhaseOutcome;
import io.phasegrid.worker.executor.PhaseTask;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A phase's plans in its prepared worktree: the inner executor runs them; after each plan PhaseGrid commits what
 * the agent left uncommitted (with a warning), requires the plan's SUMMARY, pushes HEAD to this epoch's checkpoint
 * ref and only then reports the checkpoint with that commit. At the end the result commit is pushed to the
 * checkpoint ref, reported, and pushed to the phase's result ref once the coordinator accepted it.
 */
final class PhasePlans {

    private static final Logger log = LoggerFactory.getLogger(PhasePlans.class);

    private final RepoCache cache;
    private final Path repo;
    private final Worktree worktree;

    PhasePlans(RepoCache cache, Path repo, Worktree worktree) {
        this.cache = cache;
        this.repo = repo;
        this.worktree = worktree;
    }

    PhaseOutcome run(PhaseExecutor inner, PhaseTask task, ExecutionListener listener) throws InterruptedException {
        Checkpoints checkpoints = new Checkpoints(task, listener);
        PhaseOutcome outcome = inner.execute(task, checkpoints);
        if (checkpoints.failure != null) {
            return PhaseOutcome.failed(outcome.tokensUsed(), checkpoints.failure);
        }
        if (outcome.status() != PhaseOutcome.Status.SUCCEEDED) {
            return outcome;
        }
        GitWork git = task.git();
        String plan = task.plans().isEmpty() ? task.phaseKey() : task.plans().get(task.plans().size() - 1).id();
        commitLeftovers(task, plan);
        String result = worktree.head();
        cache.push(repo, git.repoUrl(), result, git.checkpointRef());
        log.info("run {} phase {}: result {} pushed to {}", task.runId(), task.phaseKey(), result,
                git.checkpointRef());
        return PhaseOutcome.succeeded(outcome.tokensUsed(), result, "", () -> publish(task, result));
    }

    /** After the coordinator accepted the result: the phase's result branch. */
    private void publish(PhaseTask task, String result) {
        try {
            cache.push(repo, task.git().repoUrl(), result, task.git().resultRef());
            log.info("run {} phase {}: result {} pushed to {}", task.runId(), task.phaseKey(), result,
                    task.git().resultRef());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (GitException e) {
            // the integration step pushes every input's result branch again
            log.warn("run {} phase {}: could not push {} to {}: {}", task.runId(), task.phaseKey(), result,
                    task.git().resultRef(), e.getMessage());
        }
    }

    private void commitLeftovers(PhaseTask task, String plan) throws InterruptedException {
        List<String> left = worktree.commitAll("chore(" + plan + "): what the agent left uncommitted");
        if (!left.isEmpty()) {
            log.warn("run {} phase {} plan {}: the agent left {} uncommitted path(s), committed by PhaseGrid: {}",
                    task.runId(), task.phaseKey(), plan, left.size(), left);
        }
    }

    /** The SUMMARY a plan must write: its PLAN path with {@code -PLAN.md} replaced by {@code -SUMMARY.md}. */
    static String summaryPath(String planPath) {
        String stem = planPath.endsWith("-PLAN.md") ? planPath.substring(0, planPath.length() - "-PLAN.md".length())
                : planPath.replaceFirst("\\.md$", "");
        return stem + "-SUMMARY.md";
    }

    /** The inner executor's listener: turns each finished plan into a pushed commit, then a checkpoint. */
    private final class Checkpoints implements ExecutionListener {
        private final PhaseTask task;
        private final ExecutionListener outer;
        private final Map<String, PhaseTask.Plan> plans;
        volatile String failure;

        Checkpoints(PhaseTask task, ExecutionListener outer) {
            this.task = task;
            this.outer = outer;
            this.plans = task.plans().stream().collect(Collectors.toMap(PhaseTask.Plan::id, Function.identity(),
                    (a, b) -> a));
        }

        @Override
        public void planCompleted(String planId, byte[] blob, long tokensSoFar) {
            planCompleted(planId, blob, tokensSoFar, "");
        }

        @Override
        public void planCompleted(String planId, byte[] blob, long tokensSoFar, String ignored) {
            if (failure != null) {
                return;
            }
            try {
                commitLeftovers(task, planId);
                PhaseTask.Plan plan = plans.get(planId);
                if (plan != null && !plan.path().isEmpty()) {
                    String summary = summaryPath(plan.path());
                    if (!worktree.hasFile(summary)) {
                        failure = "plan " + planId + " wrote no SUMMARY (" + summary + ")";
                        return;
                    }
                }
                String commit = worktree.head();
                cache.push(repo, task.git().repoUrl(), commit, task.git().checkpointRef());
                outer.planCompleted(planId, blob, tokensSoFar, commit);
            } catch (GitException e) {
                failure = "plan " + planId + ": " + e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = "plan " + planId + ": interrupted while checkpointing";
            }
        }

        @Override
        public boolean cancelled() {
            return failure != null || outer.cancelled();
        }
    }
}
