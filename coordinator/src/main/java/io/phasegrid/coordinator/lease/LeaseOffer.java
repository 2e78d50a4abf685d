package io.phasegrid.coordinator.lease;

import java.util.List;

/**
 * A phase given to a worker.
 *
 * @param plans in execution order; {@code completed} ones were done by an earlier attempt (checkpoint)
 * @param checkpoint the executor blob of the last checkpoint, empty for a fresh start
 */
public record LeaseOffer(
        LeaseKey key,
        int attempt,
        String phaseName,
        long estimatedTokens,
        List<OfferedPlan> plans,
        byte[] checkpoint,
        long expiresAtMs) {

    /** One plan of a leased phase with its PLAN file's content. */
    public record OfferedPlan(String id, String path, byte[] content, boolean completed) {
    }
}
