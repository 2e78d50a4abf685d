package io.phasegrid.coordinator.retention;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.phasegrid.coordinator.checkpoint.Checkpoint;
import io.phasegrid.coordinator.checkpoint.CheckpointKey;
import io.phasegrid.coordinator.checkpoint.CheckpointsOfRuns;
import io.phasegrid.coordinator.hazelcast.MapNames;
import io.phasegrid.coordinator.periodic.PeriodicTask;
import io.phasegrid.coordinator.run.RunRecord;
import io.phasegrid.coordinator.run.store.FinishedRuns;
import io.phasegrid.coordinator.run.store.RetainedSubmissions;
import io.phasegrid.coordinator.run.store.RunMeta;
import io.phasegrid.coordinator.run.store.ControlProcessors;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Run retention: a run that finished more than {@code retention} ago is deleted with everything kept for it — its
 * checkpoints, its metadata and the idempotency key it was submitted under (which may then be used again), as a
 * workflow engine's retention period does. Each member cleans the runs of the partitions it owns, so the duty moves
 * with the partitions. The run record goes first, by a processor that checks again that it is finished and old
 * enough (a run restarted by a retry meanwhile is kept), then what was kept for it. A retention of zero keeps runs
 * forever. A pass deletes at most {@value #MAX_PER_PASS} runs, so the first pass after an upgrade does not stall the
 * member.
 */
public final class RunJanitor implements AutoCloseable {

    /** Finished runs are kept a week unless the operator says otherwise. */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);

    static final int MAX_PER_PASS = 1_000;

    private static final Logger LOG = LoggerFactory.getLogger(RunJanitor.class);

    private final IMap<String, RunRecord> runs;
    private final IMap<String, RunMeta> metas;
    private final IMap<CheckpointKey, Checkpoint> checkpoints;
    private final IMap<String, String> submissions;
    private final RetainedSubmissions retained;
    private final Duration retention;
    private final Clock clock;
    private final PeriodicTask timer;

    /** Cleans every {@code interval}; nothing is scheduled when {@code retention} is zero. */
    public RunJanitor(HazelcastInstance hazelcast, Duration retention, Duration interval, Clock clock) {
        if (retention.isNegative()) {
            throw new IllegalArgumentException("retention must not be negative: " + retention);
        }
        retention.toMillis(); // ArithmeticException now for a period too long to count in milliseconds
        this.runs = hazelcast.getMap(MapNames.RUNS);
        this.metas = hazelcast.getMap(MapNames.RUN_META);
        this.checkpoints = hazelcast.getMap(MapNames.CHECKPOINTS);
        this.submissions = hazelcast.getMap(MapNames.SUBMISSIONS);
        this.retained = new RetainedSubmissions(hazelcast);
        this.retention = retention;
        this.clock = clock;
        this.timer = new PeriodicTask("phasegrid-run-janitor", retention.isZero() ? 0 : Math.max(1, interval.toMillis()),
                this::purge, LOG, "run retention pass failed; retrying at the next one");
    }

    /** One pass over this member's runs; returns how many were deleted. */
    public int purge() {
        if (retention.isZero()) {
            return 0;
        }
        long cutoff = clock.millis() - retention.toMillis();
        Set<String> deleted = new HashSet<>();
        for (String runId : runs.localKeySet(FinishedRuns.before(cutoff))) {
            if (deleted.size() >= MAX_PER_PASS) {
                break;
            }
            if (Boolean.TRUE.equals(runs.executeOnKey(runId, new ControlProcessors.Purge(cutoff)))) {
                deleted.add(runId);
            }
        }
        if (deleted.isEmpty()) {
            return 0;
        }
        for (String runId : deleted) {
            RunMeta meta = metas.remove(runId);
            retained.shrink(runId, 0); // what a failed run kept for a retry no longer counts against the cap
            if (meta != null && !meta.storedIdempotencyKey().isEmpty()) {
                submissions.remove(meta.storedIdempotencyKey(), runId);
            }
        }
        checkpoints.removeAll(new CheckpointsOfRuns(deleted));
        LOG.info("deleted {} run(s) finished more than {} ago", deleted.size(), retention);
        return deleted.size();
    }

    @Override
    public void close() {
        timer.close();
    }
}
