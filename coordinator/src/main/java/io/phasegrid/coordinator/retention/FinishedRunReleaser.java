package io.phasegrid.coordinator.retention;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.partition.MigrationListener;
import com.hazelcast.partition.MigrationState;
import com.hazelcast.partition.ReplicaMigrationEvent;
import io.phasegrid.coordinator.hazelcast.MapNames;
import io.phasegrid.coordinator.periodic.PeriodicTask;
import io.phasegrid.coordinator.run.RunRecord;
import io.phasegrid.coordinator.run.store.FinishedRuns;
import io.phasegrid.coordinator.run.store.RunStore;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A finished run does not keep its plan contents: each member, every {@code interval}, releases the contents of the
 * runs of its owned partitions that finished since its last pass ({@link RunStore#releasePlans}: a SUCCEEDED run
 * keeps none, a FAILED or CANCELLED one those of the phases a retry re-runs) and lowers the cluster's account of
 * retained bytes. The state is in the maps, so the duty moves with the partitions: a member that starts, or sees a
 * member leave or partitions migrate, first looks at every finished run it owns (a run whose release its previous
 * owner did not live to make). The member owning the account also repairs it now and then
 * ({@code RetainedSubmissions.reconcile}).
 */
public final class FinishedRunReleaser implements AutoCloseable {

    /** Runs that finished this long before the previous pass began are looked at again (clocks, slow calls). */
    static final long MARGIN_MS = 10_000;
    /** A reservation younger than this may still be waiting for its metadata: the repair leaves it alone. */
    static final long RECONCILE_GRACE_MS = 60_000;
    /** The repair runs once every this many passes. */
    static final int RECONCILE_EVERY = 30;

    private static final Logger LOG = LoggerFactory.getLogger(FinishedRunReleaser.class);

    private final HazelcastInstance hazelcast;
    private final IMap<String, RunRecord> runs;
    private final RunStore store;
    private final Clock clock;
    private final PeriodicTask timer;
    private final AtomicBoolean everything = new AtomicBoolean(true);
    private final UUID migrationListener;
    private final UUID membershipListener;
    private long lastPassStart;
    private int passes;

    /** Passes every {@code interval}; zero or negative: only when called ({@link #releaseFinished}). */
    public FinishedRunReleaser(HazelcastInstance hazelcast, Duration interval, Clock clock) {
        this.hazelcast = hazelcast;
        this.runs = hazelcast.getMap(MapNames.RUNS);
        this.store = new RunStore(hazelcast);
        this.clock = clock;
        this.migrationListener = hazelcast.getPartitionService().addMigrationListener(new MigrationListener() {
            @Override
            public void migrationStarted(MigrationState state) {
            }

            @Override
            public void migrationFinished(MigrationState state) {
                everything.set(true);
            }

            @Override
            public void replicaMigrationCompleted(ReplicaMigrationEvent event) {
            }

            @Override
            public void replicaMigrationFailed(ReplicaMigrationEvent event) {
            }
        });
        this.membershipListener = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
                everything.set(true);
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                everything.set(true);
            }
        });
        this.timer = new PeriodicTask("phasegrid-plan-releaser", interval.isNegative() ? 0 : interval.toMillis(),
                this::pass, LOG, "releasing finished runs' plan contents failed; retrying at the next pass");
    }

    private void pass() {
        try {
            releaseFinished();
            if (++passes % RECONCILE_EVERY == 0) {
                reconcile();
            }
        } catch (RuntimeException e) {
            everything.set(true); // the next pass looks at all the member's finished runs
            throw e;
        }
    }

    /** One pass over this member's runs finished since the previous one; returns how many it looked at. */
    public synchronized int releaseFinished() {
        long now = clock.millis();
        long cutoff = everything.getAndSet(false) ? Long.MIN_VALUE : lastPassStart - MARGIN_MS;
        int seen = 0;
        try {
            for (String runId : runs.localKeySet(FinishedRuns.since(cutoff))) {
                store.releasePlans(runId);
                seen++;
            }
        } catch (RuntimeException e) {
            everything.set(true);
            throw e;
        }
        lastPassStart = now;
        return seen;
    }

    /** On the member owning the account: lowers it to what the metadata holds; -1 elsewhere. */
    public long reconcile() {
        if (!store.retained().ownedHere()) {
            return -1;
        }
        return store.retained().reconcile(clock.millis() - RECONCILE_GRACE_MS);
    }

    @Override
    public void close() {
        timer.close();
        try {
            hazelcast.getPartitionService().removeMigrationListener(migrationListener);
            hazelcast.getCluster().removeMembershipListener(membershipListener);
        } catch (RuntimeException ignored) {
            // the member is shutting down: its listeners go with it
        }
    }
}
