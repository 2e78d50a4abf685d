package io.phasegrid.coordinator.lease;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.query.Predicates;
import io.phasegrid.common.logging.LogFields;
import io.phasegrid.coordinator.ledger.LedgerShare;
import io.phasegrid.coordinator.ledger.TokenLedger;
import io.phasegrid.coordinator.metrics.CoordinatorMetrics;
import io.phasegrid.coordinator.metrics.OutcomeMetrics;
import io.phasegrid.coordinator.periodic.PeriodicTask;
import io.phasegrid.coordinator.run.LeaseRef;
import io.phasegrid.coordinator.run.store.DueForSweep;
import io.phasegrid.coordinator.run.store.FinishedRuns;
import io.phasegrid.coordinator.run.store.RunStore;
import io.phasegrid.coordinator.run.store.ShareSync;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Expires leases whose deadline passed, for the runs whose partition this member owns ({@code localKeySet} with a
 * predicate on the record's next deadline), and syncs those runs' shares on the ledger. Every member runs one, so the
 * duty moves with the partition when a member dies. One expire processor call per due run per tick.
 *
 * <p>Every {@link #LEDGER_SYNC_INTERVAL} it also syncs the ledger shares of all its runs that are active or finished
 * within {@link #RECENTLY_FINISHED}: the shares are absolute and versioned, so this repairs a sync lost with a member
 * or a failed call, and drops fundings whose poll died before the run confirmed them.
 */
public final class LeaseSweeper implements AutoCloseable {

    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
    public static final Duration LEDGER_SYNC_INTERVAL = Duration.ofSeconds(5);
    /** Shorter than the ledger's fold delay, so a folded share is never synced again. */
    public static final Duration RECENTLY_FINISHED = Duration.ofMinutes(2);
    private static final Logger LOG = LoggerFactory.getLogger(LeaseSweeper.class);

    private final RunStore store;
    private final TokenLedger ledger;
    private final Clock clock;
    private final CoordinatorMetrics metrics;
    private final OutcomeMetrics outcomes;
    private final ShareSync shareSync;
    private final PeriodicTask timer;
    private long nextLedgerSync;

    /** Starts sweeping at once, every {@code interval}. */
    public LeaseSweeper(HazelcastInstance hazelcast, Duration interval, Clock clock) {
        this(hazelcast, interval, clock, CoordinatorMetrics.disabled());
    }

    public LeaseSweeper(HazelcastInstance hazelcast, Duration interval, Clock clock, CoordinatorMetrics metrics) {
        this.metrics = metrics;
        this.store = new RunStore(hazelcast);
        this.ledger = new TokenLedger(hazelcast);
        this.outcomes = new OutcomeMetrics(metrics);
        this.shareSync = new ShareSync(store, ledger);
        this.clock = clock;
        this.timer = new PeriodicTask("phasegrid-lease-sweeper", Math.max(1, interval.toMillis()), this::sweep, LOG,
                "lease sweep failed; retrying at the next tick");
    }

    public LeaseSweeper(HazelcastInstance hazelcast) {
        this(hazelcast, DEFAULT_INTERVAL, Clock.systemUTC());
    }

    /** One pass; returns the number of leases expired. */
    public int sweep() {
        long now = clock.millis();
        int expired = 0;
        for (String runId : store.runs().localKeySet(new DueForSweep(now))) {
            List<LeaseRef> refs = store.expire(runId, now);
            if (refs == null) {
                continue;
            }
            metrics.leaseExpired(refs.size());
            if (!refs.isEmpty()) {
                shareSync.syncStored(runId, now); // lost: the periodic sync repairs it
            }
            for (LeaseRef ref : refs) {
                outcomes.expired(ref.failedForGood(), ref.blockedDependents());
                expired++;
                try (MDC.MDCCloseable run = MDC.putCloseable(LogFields.RUN, runId);
                        MDC.MDCCloseable phase = MDC.putCloseable(LogFields.PHASE, ref.key());
                        MDC.MDCCloseable epoch = MDC.putCloseable(LogFields.EPOCH, Long.toString(ref.epoch()))) {
                    LOG.warn("run {} phase {}: lease epoch {} expired, its worker stopped renewing it", runId,
                            ref.key(), ref.epoch());
                }
            }
        }
        if (now >= nextLedgerSync) {
            nextLedgerSync = now + LEDGER_SYNC_INTERVAL.toMillis();
            syncLedger(now);
        }
        return expired;
    }

    /** Syncs the shares of this member's runs that are active or finished recently; returns how many. */
    public int syncLedger(long now) {
        Set<String> runIds = store.runs().localKeySet(
                Predicates.not(FinishedRuns.before(now - RECENTLY_FINISHED.toMillis())));
        if (runIds.isEmpty()) {
            return 0;
        }
        List<LedgerShare> shares = List.copyOf(store.ledgerShares(runIds));
        ledger.syncAll(shares, now);
        return shares.size();
    }

    @Override
    public void close() {
        timer.close();
    }
}
