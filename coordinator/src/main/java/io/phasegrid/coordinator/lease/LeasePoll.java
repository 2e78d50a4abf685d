package io.phasegrid.coordinator.lease;

import io.phasegrid.coordinator.checkpoint.Checkpoint;
import io.phasegrid.coordinator.checkpoint.CheckpointKey;
import io.phasegrid.coordinator.checkpoint.CheckpointRepository;
import io.phasegrid.coordinator.metrics.CoordinatorMetrics;
import io.phasegrid.coordinator.run.LeaseGrant;
import io.phasegrid.coordinator.run.store.ActiveRuns;
import io.phasegrid.coordinator.run.store.LeaseBatch;
import io.phasegrid.coordinator.run.store.PhaseInfo;
import io.phasegrid.coordinator.run.store.RunMeta;
import io.phasegrid.coordinator.run.store.LeaseRuns;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The long poll of {@link HazelcastWorkerGateway}: walks the {@link ActiveRuns} round-robin (starting after the run
 * served last) and per run has the {@link LeaseFunder} lease (up to the slots still free) and fund; the funded
 * grants become offers, re-leased phases (epoch &gt; 1) with their checkpoints from one {@code getAll}. With nothing
 * to lease it waits on the index's signal (woken by any run change) up to the poll's wait, or until a retry backoff
 * passes.
 */
final class LeasePoll {

    private final LeaseRuns store;
    private final CheckpointRepository checkpoints;
    private final LeaseFunder funder;
    private final ActiveRuns active;
    private final Clock clock;
    private final CoordinatorMetrics metrics;

    LeasePoll(LeaseRuns store, CheckpointRepository checkpoints, LeaseFunder funder, ActiveRuns active, Clock clock,
            CoordinatorMetrics metrics) {
        this.store = store;
        this.checkpoints = checkpoints;
        this.funder = funder;
        this.active = active;
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
            LeaseBatch batch = funder.lease(runId, workerName, wanted, now);
            if (batch == null || batch.finished()) {
                active.finished(runId, stamp);
                continue;
            }
            nextNotBefore[0] = Math.min(nextNotBefore[0], batch.nextNotBefore());
            if (batch.grants().isEmpty()) {
                if (batch.paused()) {
                    active.paused(runId);
                }
                continue;
            }
            RunMeta meta = store.meta(runId);
            int funded = funder.fund(runId, batch, meta == null ? 0 : meta.minTokensPerPhase(), now);
            offers.addAll(offersOf(runId, batch, funded, meta, now));
            active.served(runId);
        }
        return offers;
    }

    /** Offers of the first {@code granted} grants of the batch: their plans, and checkpoints for re-leases. */
    private List<LeaseOffer> offersOf(String runId, LeaseBatch batch, int granted, RunMeta meta, long now) {
        List<LeaseGrant> grants = batch.grants();
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
