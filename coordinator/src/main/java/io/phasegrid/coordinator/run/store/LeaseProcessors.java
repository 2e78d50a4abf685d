package io.phasegrid.coordinator.run.store;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import io.phasegrid.coordinator.hazelcast.SerializationIds;
import io.phasegrid.coordinator.ledger.FundingRule;
import io.phasegrid.coordinator.ledger.Tokens;
import io.phasegrid.coordinator.run.HeartbeatResult;
import io.phasegrid.coordinator.run.LeaseGrant;
import io.phasegrid.coordinator.run.PhaseState;
import io.phasegrid.coordinator.run.RunBlueprint;
import io.phasegrid.coordinator.run.RunRecord;
import io.phasegrid.coordinator.run.RunState;
import io.phasegrid.coordinator.run.UnfundedResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The lease side of a run's entry processors (see {@link RunProcessor}): leasing phases within the run's own budget,
 * the ledger's answer to a poll's funding, heartbeats.
 */
public final class LeaseProcessors {

    private LeaseProcessors() {
    }

    /**
     * Leases up to {@code maxPhases} phases to a worker (the run's lease TTL), then enforces the run's own budget
     * ({@code RunSettings.budgetTokens}): grants whose estimate would take the run's reserved + used over its budget
     * are returned at once with {@code returnUnfunded} (PAUSED when none fits and nothing of the run runs, else the
     * sequential fallback). Nothing is stored when nothing was granted.
     */
    public static final class Lease extends RunProcessor<LeaseBatch> {
        private String workerId;
        private int maxPhases;
        private long now;
        private boolean awaitFunding;

        public Lease() {
        }

        /**
         * @param awaitFunding the grants' reservations stay out of the run's ledger share until the run is told the
         *     ledger funded them ({@link ConfirmFunding}, or a {@link ReportProcessors.Complete} carrying the confirmation)
         */
        public Lease(String workerId, int maxPhases, long now, boolean awaitFunding) {
            this.workerId = workerId;
            this.maxPhases = maxPhases;
            this.now = now;
            this.awaitFunding = awaitFunding;
        }

        @Override
        public LeaseBatch process(Map.Entry<String, RunRecord> entry) {
            RunRecord stored = entry.getValue();
            if (stored == null) {
                return null;
            }
            if (stored.state().isFinished()) {
                return new LeaseBatch(List.of(), List.of(), 0, false, true, Long.MAX_VALUE);
            }
            if (!stored.mayLease(now)) {
                // most polls woken by a change find nothing: answer without copying the record
                return new LeaseBatch(List.of(), List.of(), 0, stored.state() == RunState.PAUSED,
                        false, stored.nextNotBefore());
            }
            long ttl = stored.blueprint().settings().leaseTtlMs();
            RunRecord copy = stored.copy();
            int runningBefore = copy.runningCount();
            List<LeaseGrant> grants = copy.lease(workerId, maxPhases, now, ttl, awaitFunding);
            int refusedByBudget = 0;
            boolean fellBack = false;
            int fit = fitRunBudget(copy, grants);
            if (fit < grants.size()) {
                // lease again from the stored record, only what fits (lease order is deterministic), so refused
                // phases burn no epoch and do not count as parallelism; then pause or fall back
                refusedByBudget = grants.size() - fit;
                copy = stored.copy();
                grants = fit == 0 ? List.of() : copy.lease(workerId, fit, now, ttl, awaitFunding);
                boolean pause = FundingRule.onRefusal(fit == 0, runningBefore) == FundingRule.Refusal.PAUSE;
                fellBack = copy.returnUnfunded(new int[0], pause, now).fellBack();
            }
            boolean paused = copy.state() == RunState.PAUSED;
            if (!grants.isEmpty() || refusedByBudget > 0) {
                entry.setValue(copy);
            }
            List<PhaseInfo> infos = new ArrayList<>(grants.size());
            for (LeaseGrant g : grants) {
                List<String> ids = new ArrayList<>();
                List<String> paths = new ArrayList<>();
                for (RunBlueprint.PlanRef plan : copy.blueprint().plans(g.phase())) {
                    ids.add(plan.id());
                    paths.add(plan.path());
                }
                infos.add(new PhaseInfo(copy.blueprint().name(g.phase()), ids, paths, copy.gitLease(g.phase())));
            }
            return new LeaseBatch(List.copyOf(grants), infos, refusedByBudget, paused, copy.state().isFinished(),
                    copy.nextNotBefore()).withFellBack(fellBack)
                    .withFunding(grants.isEmpty() ? "" : copy.ledgerShareKey(), grants.isEmpty() ? 0 : copy.version());
        }

        @Override
        public int getClassId() {
            return SerializationIds.RUN_LEASE;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeString(workerId);
            out.writeInt(maxPhases);
            out.writeLong(now);
            out.writeBoolean(awaitFunding);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            workerId = in.readString();
            maxPhases = in.readInt();
            now = in.readLong();
            awaitFunding = in.readBoolean();
        }
    }

    /**
     * How many of the grants (a prefix) keep the run's reserved + used within its own budget
     * ({@link FundingRule#withinRunBudget}; 0 = none). {@code leased} already holds the grants' reservations.
     */
    static int fitRunBudget(RunRecord leased, List<LeaseGrant> grants) {
        long[] estimates = LeaseGrant.estimates(grants);
        // the run's reserved + used before these grants (saturating, as the reservation was)
        long committed = Tokens.add(leased.tokensReserved(), leased.tokensUsed());
        for (long estimate : estimates) {
            committed = Tokens.subtract(committed, estimate);
        }
        return FundingRule.withinRunBudget(leased.blueprint().settings().budgetTokens(), committed, estimates);
    }

    /**
     * The ledger's answer to a poll's funding: the funded leases (phase index + epoch) are confirmed, the refused ones
     * go back to READY (a lease whose epoch moved on is left alone). {@code firstRefused}: the ledger granted none of
     * the batch; then the run is PAUSED if, without the returned phases, nothing of it is LEASED or RUNNING;
     * otherwise, when some were refused, it falls back to one phase at a time.
     */
    public static final class ConfirmFunding extends RunProcessor<UnfundedResult> {
        private int[] funded;
        private long[] fundedEpochs;
        private int[] refused;
        private long[] refusedEpochs;
        private boolean firstRefused;
        private long now;

        public ConfirmFunding() {
        }

        public ConfirmFunding(int[] funded, long[] fundedEpochs, int[] refused, long[] refusedEpochs,
                boolean firstRefused, long now) {
            this.funded = funded.clone();
            this.fundedEpochs = fundedEpochs.clone();
            this.refused = refused.clone();
            this.refusedEpochs = refusedEpochs.clone();
            this.firstRefused = firstRefused;
            this.now = now;
        }

        @Override
        public UnfundedResult process(Map.Entry<String, RunRecord> entry) {
            RunRecord stored = entry.getValue();
            if (stored == null) {
                return null;
            }
            RunRecord copy = stored.copy();
            copy.confirmFunding(funded, fundedEpochs);
            UnfundedResult result = new UnfundedResult(0, false,
                    copy.state() == RunState.PAUSED, false);
            if (refused.length > 0) {
                int[] current = new int[refused.length];
                int n = 0;
                for (int k = 0; k < refused.length; k++) {
                    int i = refused[k];
                    if (i >= 0 && i < copy.phaseCount() && copy.epoch(i) == refusedEpochs[k] && copy.leaseOpen(i)
                            && copy.phaseState(i) == PhaseState.LEASED) {
                        current[n++] = i;
                    }
                }
                boolean pause = FundingRule.onRefusal(firstRefused, copy.runningCount() - n)
                        == FundingRule.Refusal.PAUSE;
                result = copy.returnUnfunded(Arrays.copyOf(current, n), pause, now);
            }
            entry.setValue(copy);
            return result;
        }

        @Override
        public int getClassId() {
            return SerializationIds.RUN_CONFIRM_FUNDING;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeIntArray(funded);
            out.writeLongArray(fundedEpochs);
            out.writeIntArray(refused);
            out.writeLongArray(refusedEpochs);
            out.writeBoolean(firstRefused);
            out.writeLong(now);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            funded = in.readIntArray();
            fundedEpochs = in.readLongArray();
            refused = in.readIntArray();
            refusedEpochs = in.readLongArray();
            firstRefused = in.readBoolean();
            now = in.readLong();
        }
    }

    /** Renews several leases of one run (the run's TTL); answers one {@link HeartbeatResult} per lease, in order. */
    public static final class Heartbeat extends RunProcessor<List<HeartbeatResult>> {
        private String[] keys;
        private long[] epochs;
        private long now;
        private String worker;

        public Heartbeat() {
        }

        /** @param worker name of the heartbeating worker; leases it does not hold answer NOT_HELD; null = unchecked */
        public Heartbeat(String[] keys, long[] epochs, long now, String worker) {
            this.worker = worker;
            this.keys = keys.clone();
            this.epochs = epochs.clone();
            this.now = now;
        }

        @Override
        public List<HeartbeatResult> process(Map.Entry<String, RunRecord> entry) {
            RunRecord stored = entry.getValue();
            if (stored == null) {
                return null;
            }
            RunRecord copy = stored.copy();
            long ttl = copy.blueprint().settings().leaseTtlMs();
            List<HeartbeatResult> out = new ArrayList<>(keys.length);
            boolean renewed = false;
            for (int k = 0; k < keys.length; k++) {
                HeartbeatResult result = copy.heldBy(copy.blueprint().indexOf(keys[k]), worker)
                        ? copy.heartbeat(keys[k], epochs[k], now, ttl)
                        : HeartbeatResult.NOT_HELD;
                renewed |= result.held();
                out.add(result);
            }
            if (renewed) {
                entry.setValue(copy); // only a renewal changes the run; refusals and cancellations store nothing
            }
            return out;
        }

        @Override
        public int getClassId() {
            return SerializationIds.RUN_HEARTBEAT;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeStringArray(keys);
            out.writeLongArray(epochs);
            out.writeLong(now);
            out.writeString(worker);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            keys = in.readStringArray();
            epochs = in.readLongArray();
            now = in.readLong();
            worker = in.readString();
        }
    }
}
