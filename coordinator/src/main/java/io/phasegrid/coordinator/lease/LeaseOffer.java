package io.phasegrid.coordinator.lease;

import io.phasegrid.coordinator.run.GitLease;
import java.util.List;

/**
 * A phase given to a worker.
 *
 * @param plans in execution order; {@code completed} ones were done by an earlier attempt (checkpoint)
 * @param checkpoint the executor blob of the last checkpoint, empty for a fresh start
 * @param git what a lease of a git run works on; null for a plain run
 * @param resumeCommit git runs: the commit of the phase's last checkpoint, empty for a fresh start
 */
public record LeaseOffer(
        LeaseKey key,
        int attempt,
        String phaseName,
        long estimatedTokens,
        List<OfferedPlan> plans,
        byte[] checkpoint,
        long expiresAtMs,
        GitLease git,
        String resumeCommit) {

    public LeaseOffer {
        resumeCommit = resumeCommit == null ? "" : resumeCommit;
    }

    /** A lease of a plain run. */
    public LeaseOffer(LeaseKey key, int attempt, String phaseName, long estimatedTokens, List<OfferedPlan> plans,
            byte[] checkpoint, long expiresAtMs) {
        this(key, attempt, phaseName, estimatedTokens, plans, checkpoint, expiresAtMs, null, "");
    }

    /** One plan of a leased phase with its PLAN file's content. */
    public record OfferedPlan(String id, String path, byte[] content, boolean completed) {
    }
}
