package io.phasegrid.coordinator.retention;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;
import io.phasegrid.coordinator.checkpoint.Checkpoint;
import io.phasegrid.coordinator.checkpoint.CheckpointKey;
import io.phasegrid.coordinator.checkpoint.CheckpointsOfRuns;
import io.phasegrid.coordinator.hazelcast.MapNames;
import io.phasegrid.coordinator.run.RunRecord;
import io.phasegrid.coordinator.run.store.FinishedBefore;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Run retention: a run that finished more than {@code retention} ago is deleted with everything kept for it — its
 * checkpoints, its metadata and the idempotency key it was submitted under (which may then be used again), as a
 * workflow engine's retention period does. Each member cleans the runs of the partitions it owns, so the duty moves
 * with the partitions. The run record goes last: a member dying half-way leaves a finished run that the next pass
 * cleans again. A retention of zero keeps runs forever.
 */
public final class RunJanitor implements AutoCloseable {

    /** Finished runs are kept a week unless the operator says otherwise. */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);

    private static final Logger LOG = LoggerFactory.getLogger(RunJanitor.class);

    private final IMap<String, RunRecord> runs;
    private final IMap<String, Object> metas;
    private final IMap<CheckpointKey, Checkpoint> checkpoints;
    private final IMap<String, String> submissions;
    private final Duration retention;
    private final Clock clock;
    private final ScheduledExecutorService timer;

    /** Cleans every {@code interval}; nothing is scheduled when {@code retention} is zero. */
    public RunJanitor(HazelcastInstance hazelcast, Duration retention, Duration interval, Clock clock) {
        if (retention.isNegative()) {
            throw new IllegalArgumentException("retention must not be negative: " + retention);
        }
        this.runs = hazelcast.getMap(MapNames.RUNS);
        this.metas = hazelcast.getMap(MapNames.RUN_META);
        this.checkpoints = hazelcast.getMap(MapNames.CHECKPOINTS);
        this.submissions = hazelcast.getMap(MapNames.SUBMISSIONS);
        this.retention = retention;
        this.clock = clock;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "phasegrid-run-janitor");
            t.setDaemon(true);
            return t;
        });
        if (!retention.isZero()) {
            long ms = Math.max(1, interval.toMillis());
            timer.scheduleWithFixedDelay(this::purgeSafely, ms, ms, TimeUnit.MILLISECONDS);
        }
    }

    private void purgeSafely() {
        try {
            purge();
        } catch (RuntimeException e) {
            LOG.warn("run retention pass failed; retrying at the next one", e);
        }
    }

    /** One pass over this member's runs; returns how many were deleted. */
    public int purge() {
        if (retention.isZero()) {
            return 0;
        }
        Set<String> expired = runs.localKeySet(new FinishedBefore(clock.millis() - retention.toMillis()));
        if (expired.isEmpty()) {
            return 0;
        }
        checkpoints.removeAll(new CheckpointsOfRuns(expired));
        submissions.removeAll(Predicates.in("this", expired.toArray(String[]::new)));
        for (String runId : expired) {
            metas.delete(runId);
            runs.delete(runId);
        }
        LOG.info("deleted {} run(s) finished more than {} ago", expired.size(), retention);
        return expired.size();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
