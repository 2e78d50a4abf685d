package io.phasegrid.worker.executor;

import io.phasegrid.proto.v1.Delivery;
import java.util.List;
import java.util.Objects;

/**
 * The git part of a lease ({@code phasegrid.v1.LeaseGit}): what repository and commits a phase works on and where
 * its work is pushed. Immutable.
 *
 * @param integration true for the run's integration step ({@code GIT_WORK_INTEGRATION}), false for a phase
 * @param repoUrl the repository every worker fetches from and pushes to
 * @param baseCommit the run's base commit
 * @param inputs a phase: its dependencies' result commits; the integration: every phase result (roadmap order)
 * @param resumeCommit the last checkpoint's commit, empty for a fresh start
 * @param resolutionCommit an operator's conflict resolution to start at, empty if none
 * @param checkpointRef this epoch's ref, pushed after each plan
 * @param resultRef where the result goes once accepted
 * @param fastForward integration only: also move {@code baseBranch} if it still points at the base
 * @param baseBranch the branch the base was taken from (may be empty)
 * @param startCommit the commit the worktree was prepared at; empty until the workspace is prepared
 */
public record GitWork(boolean integration, String repoUrl, String baseCommit, List<Input> inputs,
        String resumeCommit, String resolutionCommit, String checkpointRef, String resultRef, boolean fastForward,
        String baseBranch, String startCommit) {

    /** One input's result commit. */
    public record Input(String phaseKey, String phaseName, String commit) {
        public Input {
            Objects.requireNonNull(phaseKey, "phaseKey");
            Objects.requireNonNull(phaseName, "phaseName");
            Objects.requireNonNull(commit, "commit");
        }
    }

    public GitWork {
        Objects.requireNonNull(repoUrl, "repoUrl");
        Objects.requireNonNull(baseCommit, "baseCommit");
        inputs = List.copyOf(inputs);
        Objects.requireNonNull(resumeCommit, "resumeCommit");
        Objects.requireNonNull(resolutionCommit, "resolutionCommit");
        Objects.requireNonNull(checkpointRef, "checkpointRef");
        Objects.requireNonNull(resultRef, "resultRef");
        Objects.requireNonNull(baseBranch, "baseBranch");
        Objects.requireNonNull(startCommit, "startCommit");
    }

    /** The git part of a lease; null for a plain lease. */
    static GitWork fromLease(io.phasegrid.proto.v1.Lease lease) {
        if (!lease.hasGit()) {
            return null;
        }
        io.phasegrid.proto.v1.LeaseGit git = lease.getGit();
        List<Input> inputs = git.getInputsList().stream()
                .map(c -> new Input(c.getPhaseKey(), c.getPhaseName(), c.getCommit()))
                .toList();
        return new GitWork(git.getWork() == io.phasegrid.proto.v1.GitWork.GIT_WORK_INTEGRATION, git.getRepoUrl(),
                git.getBaseCommit(), inputs, git.getResumeCommit(), git.getResolutionCommit(), git.getCheckpointRef(),
                git.getResultRef(), git.getDelivery() == Delivery.DELIVERY_FAST_FORWARD, git.getBaseBranch(), "");
    }

    /** This work, prepared at {@code commit}. */
    public GitWork startingAt(String commit) {
        return new GitWork(integration, repoUrl, baseCommit, inputs, resumeCommit, resolutionCommit, checkpointRef,
                resultRef, fastForward, baseBranch, commit);
    }
}
