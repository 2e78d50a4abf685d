package io.phasegrid.coordinator.lease;

import io.phasegrid.coordinator.run.store.LeaseRuns;
import io.phasegrid.coordinator.run.store.RunSummary;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which runs are git runs, for the checks of a checkpoint's commit. Whether a run is a git run never changes, so the
 * answer is cached per member; the cache is bounded by starting again when full (a miss costs one read).
 */
final class GitRuns {

    static final int MAX_CACHED = 10_000;

    private final LeaseRuns store;
    private final Map<String, Boolean> cached = new ConcurrentHashMap<>();

    GitRuns(LeaseRuns store) {
        this.store = store;
    }

    /** Whether the run is a git run; false for an unknown run (its lease is refused anyway). */
    boolean isGit(String runId) {
        Boolean known = cached.get(runId);
        if (known != null) {
            return known;
        }
        RunSummary summary = store.view(runId, false);
        if (summary == null) {
            return false;
        }
        if (cached.size() >= MAX_CACHED) {
            cached.clear();
        }
        boolean git = summary.git() != null;
        cached.put(runId, git);
        return git;
    }
}
