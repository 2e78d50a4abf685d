package io.phasegrid.coordinator.service;

import com.hazelcast.core.HazelcastInstance;
import io.phasegrid.coordinator.hazelcast.MapNames;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Idempotency keys in {@code phasegrid.submissions} (key -> run id): {@code putIfAbsent} decides which submission
 * of a key wins before anything is stored, and a submission that is refused or fails afterwards gives its key back,
 * so a client retrying with the same key is not sent to a run that was never stored.
 */
final class IdempotencyKeys {

    private static final Logger LOG = LoggerFactory.getLogger(IdempotencyKeys.class);

    private final ConcurrentMap<String, String> submissions;

    IdempotencyKeys(HazelcastInstance hazelcast) {
        this(hazelcast.<String, String>getMap(MapNames.SUBMISSIONS));
    }

    /** Over any map of key -> run id whose {@code putIfAbsent} and {@code remove(key, value)} are atomic. */
    IdempotencyKeys(ConcurrentMap<String, String> submissions) {
        this.submissions = submissions;
    }

    /** Claims {@code key} for {@code runId}; answers the run that holds it already, or null when this one won. */
    String claim(String key, String runId) {
        return key.isEmpty() ? null : submissions.putIfAbsent(key, runId);
    }

    /** Gives the key back if {@code runId} still holds it (best effort: the submission already failed). */
    void release(String key, String runId) {
        if (key.isEmpty()) {
            return;
        }
        try {
            submissions.remove(key, runId);
        } catch (RuntimeException e) {
            LOG.warn("run {}: could not release the idempotency key of a failed submission: {}", runId, e.toString());
        }
    }
}
