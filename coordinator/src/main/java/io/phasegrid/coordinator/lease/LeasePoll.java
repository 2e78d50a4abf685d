package io.phasegrid.coordinator.lease;

import io.phasegrid.coordinator.checkpoint.Checkpoint;
import io.phasegrid.coordinator.checkpoint.CheckpointKey;
import io.phasegrid.coordinator.checkpoint.CheckpointStore;
import io.phasegrid.coordinator.ledger.LedgerRecord;
import io.phasegrid.coordinator.ledger.TokenLedger;
import io.phasegrid.coordinator.metrics.CoordinatorMetrics;
import io.phasegrid.coordinator.run.LeaseGrant;
import io.phasegrid.coordinator.run.UnfundedResult;
import io.phasegrid.coordinator.run.store.ActiveRuns;
import io.phasegrid.coordinator.run.store.LeaseBatch;
import io.phasegrid.coordinator.run.store.PhaseInfo;
import io.phasegrid.coordinator.run.store.RunMeta;
import io.phasegrid.coordinator.run.store.RunStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The long poll of {@link HazelcastWorkerGateway}: walks the {@link ActiveRuns} round-robin (starting after the run
 * served last) and per run makes one lease processor call (up to the slots still free), one ledger reservation of
 * the granted estimates, and for refused ones one {@code confirmFunding} call; re-leased phases (epoch &gt; 1) get
 * their checkpoints in one {@code getAll}. With nothing to lease it waits on the index's signal (woken by any run
 * change) up to the poll's wait, or until a retry backoff passes.
 */
final class LeasePoll {

    private final RunStore store;
    private final CheckpointStore checkpoints;
    private final TokenLedger ledger;
    private final ActiveRuns active;
    private final UnconfirmedFundings unconfirmed;
    private final Clock clock;
    private final CoordinatorMetrics metrics;

    LeasePoll(RunStore store, CheckpointStore checkpoints, TokenLedger ledger, ActiveRuns active,
            UnconfirmedFundings unconfirmed, Clock clock, CoordinatorMetrics metrics) {
        this.store = store;
        this.checkpoints = checkpoints;
        this.ledger = ledger;
        this.active = active;
        this.unconfirmed = unconfirmed;
        this.clock = clock;
        this.metrics = metrics;
    }

    /**
     * Polls until there are offers, {@code waitMs} passed or {@code cancelled}: the index's version is read before
     * each check, so a wake-up in between ends the wait at once.
     */
    List<LeaseOffer> poll(String workerName, int freeSlots, long waitMs, BooleanSupplier cancelled)
            throws InterruptedException {
        long deadline = clock.millis() + Math.max(0, waitMs);
        while (true) {
            long seen = active.version(); // before the check: a wake-up in between ends the wait at once
            if (cancelled.getAsBoolean()) {
                return List.of();
            }
            long[] nextNotBefore = {Long.MAX_VALUE};
            List<LeaseOffer> offers = tryLease(workerName, freeSlots, nextNotBefore);
            long now = clock.millis();
            if (!offers.isEmpty() || now >= deadline) {
                return offers;
            }
            long wake = Math.min(deadline, nextNotBefore[0]);
            active.awaitChange(seen, Math.max(1, wake - now));
        }
    }

    private List<LeaseOffer> tryLease(String workerName, int freeSlots, long[] nextNotBefore) {
        List<LeaseOffer> offers = new ArrayList<>();
        for (String runId : active.order()) {
            int wanted = freeSlots - offers.size();
            if (wanted <= 0) {
                break;
            }
            long now = clock.millis();
            long stamp = active.stamp(runId);
            LeaseBatch batch = store.lease(runId, workerName, wanted, now, true);
            if (batch == null || batch.finished()) {
                active.finished(runId, stamp);
                unconfirmed.forget(runId);
                continue;
            }
            nextNotBefore[0] = Math.min(nextNotBefore[0], batch.nextNotBefore());
            if (batch.fellBack()) {
                metrics.fallbackToSequential();
            }
            if (batch.refusedByRunBudget() > 0 && batch.paused()) {
                metrics.pausedOnBudget();
            }
            if (batch.grants().isEmpty()) {
                if (batch.paused()) {
                    active.paused(runId);
                }
                continue;
            }
            offers.addAll(fund(runId, batch, now));
            active.served(runId);
        }
        return offers;
    }

    /**
     * Funds the grants on the ledger (idempotent per lease call) and makes offers of the funded ones. The run learns
     * which were funded (they count in its ledger share from then on) with its next batch of reports through this
     * member ({@link UnconfirmedFundings}), or at once when some were refused, which go back to READY. A member dying
     * before the run is told leaves fundings the run never confirms: each lease is settled by its own report or
     * expiry, and the next sync of the run's share that no longer lists the call drops the funding.
     */
    private List<LeaseOffer> fund(String runId, LeaseBatch batch, long now) {
        List<LeaseGrant> grants = batch.grants();
        RunMeta meta = store.meta(runId);
        long[] estimates = new long[grants.size()];
        for (int k = 0; k < estimates.length; k++) {
            estimates[k] = grants.get(k).estimatedTokens();
        }
        int granted = ledger.fund(batch.shareKey(), batch.leaseCall(), estimates,
                meta == null ? 0 : meta.minTokensPerPhase());
        if (granted == LedgerRecord.STALE_CALL) {
            return List.of(); // the leases are gone already (expired, or the run was cancelled meanwhile)
        }
        int[] funded = new int[granted];
        long[] fundedEpochs = new long[granted];
        int[] refused = new int[grants.size() - granted];
        long[] refusedEpochs = new long[refused.length];
        for (int k = 0; k < grants.size(); k++) {
            if (k < granted) {
                funded[k] = grants.get(k).phase();
                fundedEpochs[k] = grants.get(k).epoch();
            } else {
                refused[k - granted] = grants.get(k).phase();
                refusedEpochs[k - granted] = grants.get(k).epoch();
            }
        }
        unconfirmed.add(runId, funded, fundedEpochs); // told with the run's next batch of reports
        if (refused.length > 0) {
            // the refused ones go back now, and the run is told of everything funded with them
            UnconfirmedFundings.Leases toConfirm = unconfirmed.drain(runId);
            UnfundedResult unfunded = store.confirmFunding(runId, toConfirm.phases(), toConfirm.epochs(), refused,
                    refusedEpochs, granted == 0, now);
            if (unfunded != null && unfunded.fellBack()) {
                metrics.fallbackToSequential();
            }
            if (unfunded != null && unfunded.pausedNow()) {
                metrics.pausedOnBudget(); // once per pause, however many polls were refused
            }
            if (granted == 0) {
                active.paused(runId); // until it changes: PAUSED, or fallen back with nothing leasable now
            }
        }
        List<String> resumed = new ArrayList<>();
        for (int k = 0; k < granted; k++) {
            if (grants.get(k).epoch() > 1) {
                resumed.add(grants.get(k).key());
            }
        }
        Map<CheckpointKey, Checkpoint> saved = checkpoints.getAll(runId, resumed);
        List<LeaseOffer> offers = new ArrayList<>(granted);
        metrics.leaseGranted(granted);
        for (int k = 0; k < granted; k++) {
            LeaseGrant g = grants.get(k);
            metrics.readyToStarted(now - g.readyAtMs());
            PhaseInfo info = batch.phases().get(k);
            Checkpoint cp = saved.get(new CheckpointKey(runId, g.key()));
            Set<String> done = cp == null ? Set.of() : new HashSet<>(cp.completedPlans());
            List<LeaseOffer.OfferedPlan> plans = new ArrayList<>(info.planIds().size());
            for (int p = 0; p < info.planIds().size(); p++) {
                String path = info.planPaths().get(p);
                plans.add(new LeaseOffer.OfferedPlan(info.planIds().get(p), path,
                        meta == null ? new byte[0] : meta.plan(path), done.contains(info.planIds().get(p))));
            }
            offers.add(new LeaseOffer(new LeaseKey(runId, g.key(), g.epoch()), g.attempt(), info.name(),
                    g.estimatedTokens(), plans, cp == null ? new byte[0] : cp.blob(), g.deadlineMs(), info.git(),
                    cp == null ? "" : cp.commit()));
        }
        return offers;
    }
}
