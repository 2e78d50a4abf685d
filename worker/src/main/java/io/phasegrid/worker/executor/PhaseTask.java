package io.phasegrid.worker.executor;

import io.phasegrid.proto.v1.Lease;
import io.phasegrid.proto.v1.LeasedPlan;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One leased phase to execute: the executor's view of a {@code phasegrid.v1.Lease} plus the workspace the agent
 * gives it. Immutable: byte arrays are copied in and out.
 *
 * @param runId the run
 * @param phaseKey the phase's key within the run (as in {@code analyze --json})
 * @param phaseName the phase's human name (submitter text: may contain anything)
 * @param attempt 1 for the first attempt
 * @param epoch the lease's fencing epoch
 * @param estimatedTokens the phase's token estimate (&ge; 0)
 * @param plans the phase's plans in execution order, those completed in an earlier attempt marked
 * @param checkpoint the executor blob of the last checkpoint (empty for a fresh start)
 * @param workspace a directory the executor may write in; the agent creates it first when the executor
 *     {@linkplain PhaseExecutor#needsWorkspace() needs one}. Its lifetime is the agent's
 *     business (a stable per-phase directory lets a resumed attempt see what the previous one left); for a git
 *     lease, the phase's worktree once the workspace is prepared
 * @param git the lease's git part; null for a plain lease
 */
public record PhaseTask(
        String runId,
        String phaseKey,
        String phaseName,
        int attempt,
        long epoch,
        long estimatedTokens,
        List<Plan> plans,
        byte[] checkpoint,
        Path workspace,
        GitWork git) {

    /**
     * One plan of the phase.
     *
     * @param id plan id, e.g. {@code "07-02"}
     * @param path path of the PLAN file in the submitted bundle; empty for a structured roadmap
     * @param content the PLAN file's content
     * @param completed completed in an earlier attempt (from the checkpoint): skipped
     */
    public record Plan(String id, String path, byte[] content, boolean completed) {

        public Plan {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(path, "path");
            if (id.isEmpty()) {
                throw new IllegalArgumentException("a plan needs an id");
            }
            content = content == null ? new byte[0] : content.clone();
        }

        @Override
        public byte[] content() {
            return content.clone();
        }

        /** This plan marked completed. */
        public Plan asCompleted() {
            return new Plan(id, path, content, true);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Plan p && id.equals(p.id) && path.equals(p.path) && completed == p.completed
                    && Arrays.equals(content, p.content);
        }

        @Override
        public int hashCode() {
            return Objects.hash(id, path, completed, Arrays.hashCode(content));
        }

        @Override
        public String toString() {
            return "Plan[id=" + id + ", path=" + path + ", " + content.length + " bytes"
                    + (completed ? ", completed" : "") + "]";
        }
    }

    public PhaseTask {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(phaseKey, "phaseKey");
        Objects.requireNonNull(phaseName, "phaseName");
        Objects.requireNonNull(workspace, "workspace");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt starts at 1: " + attempt);
        }
        if (estimatedTokens < 0) {
            throw new IllegalArgumentException("estimated tokens must not be negative: " + estimatedTokens);
        }
        plans = List.copyOf(plans);
        checkpoint = checkpoint == null ? new byte[0] : checkpoint.clone();
    }

    /** A plain task (no git). */
    public PhaseTask(String runId, String phaseKey, String phaseName, int attempt, long epoch, long estimatedTokens,
            List<Plan> plans, byte[] checkpoint, Path workspace) {
        this(runId, phaseKey, phaseName, attempt, epoch, estimatedTokens, plans, checkpoint, workspace, null);
    }

    /** The same task in another workspace with this git part. */
    public PhaseTask with(Path otherWorkspace, GitWork otherGit) {
        return new PhaseTask(runId, phaseKey, phaseName, attempt, epoch, estimatedTokens, plans, checkpoint,
                otherWorkspace, otherGit);
    }

    /** The task for a lease received from the coordinator, to run in {@code workspace}. */
    public static PhaseTask fromLease(Lease lease, Path workspace) {
        List<Plan> plans = lease.getPlansList().stream()
                .map(PhaseTask::plan)
                .toList();
        return new PhaseTask(lease.getRunId(), lease.getPhaseKey(), lease.getPhaseName(), lease.getAttempt(),
                lease.getEpoch(), lease.getEstimatedTokens(), plans, lease.getCheckpoint().toByteArray(), workspace,
                GitWork.fromLease(lease));
    }

    private static Plan plan(LeasedPlan plan) {
        return new Plan(plan.getId(), plan.getPath(), plan.getContent().toByteArray(), plan.getCompleted());
    }

    @Override
    public byte[] checkpoint() {
        return checkpoint.clone();
    }

    /**
     * The share of the estimate attributed to the plan at {@code index}: the estimate split evenly over all the
     * phase's plans (completed ones included), the remainder going to the first plans, so the shares add up to
     * the estimate exactly. A phase without plans has one share: the whole estimate ({@code index} 0).
     */
    public long estimateShare(int index) {
        int units = Math.max(1, plans.size());
        if (index < 0 || index >= units) {
            throw new IndexOutOfBoundsException(index);
        }
        long base = estimatedTokens / units;
        long remainder = estimatedTokens % units;
        return base + (index < remainder ? 1 : 0);
    }

    /** How many plans are still to run. */
    public long pendingPlans() {
        return plans.stream().filter(p -> !p.completed()).count();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PhaseTask t && runId.equals(t.runId) && phaseKey.equals(t.phaseKey)
                && phaseName.equals(t.phaseName) && attempt == t.attempt && epoch == t.epoch
                && estimatedTokens == t.estimatedTokens && plans.equals(t.plans)
                && Arrays.equals(checkpoint, t.checkpoint) && workspace.equals(t.workspace)
                && Objects.equals(git, t.git);
    }

    @Override
    public int hashCode() {
        return Objects.hash(runId, phaseKey, phaseName, attempt, epoch, estimatedTokens, plans,
                Arrays.hashCode(checkpoint), workspace, git);
    }

    @Override
    public String toString() {
        return "PhaseTask[run=" + runId + ", phase=" + phaseKey + ", attempt=" + attempt + ", epoch=" + epoch
                + ", estimate=" + estimatedTokens + ", plans=" + plans + ", checkpoint=" + checkpoint.length
                + " bytes, workspace=" + workspace + (git == null ? "" : ", git=" + git) + "]";
    }
}
