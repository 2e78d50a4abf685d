package io.phasegrid.coordinator.run.store;

import com.hazelcast.core.ReadOnly;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.phasegrid.coordinator.hazelcast.SerializationIds;
import io.phasegrid.coordinator.run.CancelResult;
import io.phasegrid.coordinator.run.CompleteResult;
import io.phasegrid.coordinator.run.EventPage;
import io.phasegrid.coordinator.run.HeartbeatResult;
import io.phasegrid.coordinator.run.LeaseGrant;
import io.phasegrid.coordinator.run.LeaseRef;
import io.phasegrid.coordinator.run.Outcome;
import io.phasegrid.coordinator.run.PhaseState;
import io.phasegrid.coordinator.run.RetryResult;
import io.phasegrid.coordinator.run.RunBlueprint;
import io.phasegrid.coordinator.run.RunRecord;
import io.phasegrid.coordinator.run.UnfundedResult;
import io.phasegrid.coordinator.ledger.Tokens;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The only ways a run changes: one entry processor per transition of {@link RunRecord}, run atomically on the run's
 * partition owner and again on the backup. Each is deterministic in its arguments ({@code now} comes from the
 * caller) and copy-on-write: copy the stored record, apply the transition to the copy, {@code setValue} the copy; a
 * call that changes nothing does not set the value. A missing run answers {@code null}. Read-only processors
 * ({@link View}, {@link Events}) implement {@link ReadOnly} and have no backup processor.
 */
public final class RunProcessors {

    private RunProcessors() {
    }

    /** Common plumbing: ids, and the stored record or null. */
    abstract static class Base<R> implements EntryProcessor<String, RunRecord, R>, IdentifiedDataSerializable {

        @Override
        public final int getFactoryId() {
            return SerializationIds.FACTORY_ID;
        }

        /**
         * Copy-on-write: applies {@code transition} to a copy of the stored run and stores the copy when
         * {@code changed} says so; null for an unknown run.
         */
        static <T> T onCopy(Map.Entry<String, RunRecord> entry, Function<RunRecord, T> transition,
                Predicate<T> changed) {
            RunRecord stored = entry.getValue();
            if (stored == null) {
                return null;
            }
            RunRecord copy = stored.copy();
            T result = transition.apply(copy);
            if (changed.test(result)) {
                entry.setValue(copy);
            }
            return result;
        }
    }

    /** A transition whose only argument is the caller's clock reading (deterministic on the backup replica). */
    abstract static class AtTime<R> extends Base<R> {
        protected long now;

        AtTime() {
        }

        AtTime(long now) {
            this.now = now;
        }

        @Override
        public final void writeData(ObjectDataOutput out) throws IOException {
            out.writeLong(now);
        }

        @Override
        public final void readData(ObjectDataInput in) throws IOException {
            now = in.readLong();
        }
    }

    /**
     * Leases up to {@code maxPhases} phases to a worker (the run's lease TTL), then enforces the run's own budget
     * ({@code RunSettings.budgetTokens}): grants whose estimate would take the run's reserved + used over its budget
     * are returned at once with {@code returnUnfunded} (PAUSED when none fits and nothing of the run runs, else the
     * sequential fallback). Nothing is stored when nothing was granted.
     */
    public static final class Lease extends Base<LeaseBatch> {
        private String workerId;
        private int maxPhases;
        private long now;
        private boolean awaitFunding;

        public Lease() {
        }

        /**
         * @param awaitFunding the grants' reservations stay out of the run's ledger share until the run is told the
         *     ledger funded them ({@link ConfirmFunding}, or a {@link Complete} carrying the confirmation)
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
                return new LeaseBatch(List.of(), List.of(), 0, stored.state() == io.phasegrid.coordinator.run.RunState.PAUSED,
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
                fellBack = copy.returnUnfunded(new int[0], fit == 0 && runningBefore == 0, now).fellBack();
            }
            boolean paused = copy.state() == io.phasegrid.coordinator.run.RunState.PAUSED;
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
                infos.add(new PhaseInfo(copy.blueprint().name(g.phase()), ids, paths));
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

    /** How many of the grants (a prefix) keep the run's reserved + used within its own budget (0 = none). */
    static int fitRunBudget(RunRecord leased, List<LeaseGrant> grants) {
        long budget = leased.blueprint().settings().budgetTokens();
        if (budget <= 0) {
            return grants.size();
        }
        // saturating (Tokens): reserved + used + estimates never wraps past the budget
        long committed = Tokens.add(leased.tokensReserved(), leased.tokensUsed());
        for (LeaseGrant g : grants) {
            committed = Tokens.subtract(committed, g.estimatedTokens());
        }
        int fit = 0;
        while (fit < grants.size() && Tokens.add(committed, grants.get(fit).estimatedTokens()) <= budget) {
            committed = Tokens.add(committed, grants.get(fit).estimatedTokens());
            fit++;
        }
        return fit;
    }

    /**
     * The ledger's answer to a poll's funding: the funded leases (phase index + epoch) are confirmed, the refused ones
     * go back to READY (a lease whose epoch moved on is left alone). {@code firstRefused}: the ledger granted none of
     * the batch; then the run is PAUSED if, without the returned phases, nothing of it is LEASED or RUNNING;
     * otherwise, when some were refused, it falls back to one phase at a time.
     */
    public static final class ConfirmFunding extends Base<UnfundedResult> {
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
                    copy.state() == io.phasegrid.coordinator.run.RunState.PAUSED, false);
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
                boolean nothingElseRunning = firstRefused && copy.runningCount() - n == 0;
                result = copy.returnUnfunded(java.util.Arrays.copyOf(current, n), nothingElseRunning, now);
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

    /** After a top-up: clears PAUSED and the sequential fallback; answers whether anything changed. */
    public static final class Resume extends AtTime<Boolean> {

        public Resume() {
        }

        public Resume(long now) {
            super(now);
        }

        @Override
        public Boolean process(Map.Entry<String, RunRecord> entry) {
            RunRecord stored = entry.getValue();
            if (stored == null || (stored.state() != io.phasegrid.coordinator.run.RunState.PAUSED
                    && !stored.sequentialFallback())) {
                return stored == null ? null : Boolean.FALSE;
            }
            RunRecord copy = stored.copy();
            boolean changed = copy.resume(now);
            entry.setValue(copy);
            return changed;
        }

        @Override
        public int getClassId() {
            return SerializationIds.RUN_RESUME;
        }
    }

    /** Renews several leases of one run (the run's TTL); answers one {@link HeartbeatResult} per lease, in order. */
    public static final class Heartbeat extends Base<List<HeartbeatResult>> {
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

    /**
     * Records the outcomes of several attempts of one run, in order, on one copy of the record (a batch of reports
     * costs one copy and one store, not one per report). A refused report changes nothing; the copy is stored when
     * at least one report was accepted (or a funding confirmed); the answer carries the run's ledger share then.
     */
    public static final class Complete extends Base<CompleteOutcomes> {
        private String[] keys;
        private long[] epochs;
        private byte[] outcomes;
        private long[] tokens;
        private String[] errors;
        private String[] workers;
        private long now;
        private int[] confirmPhases = new int[0];
        private long[] confirmEpochs = new long[0];

        public Complete() {
        }

        /**
         * @param confirmPhases leases the ledger funded that the run has not been told of (phase index, with their
         *     epochs in {@code confirmEpochs}): confirmed before the reports are applied
         */
        public Complete(List<PhaseReport> reports, long now, int[] confirmPhases, long[] confirmEpochs) {
            this(reports, now);
            this.confirmPhases = confirmPhases.clone();
            this.confirmEpochs = confirmEpochs.clone();
        }

        public Complete(List<PhaseReport> reports, long now) {
            int n = reports.size();
            keys = new String[n];
            epochs = new long[n];
            outcomes = new byte[n];
            tokens = new long[n];
            errors = new String[n];
            workers = new String[n];
            for (int k = 0; k < n; k++) {
                PhaseReport r = reports.get(k);
                keys[k] = r.key();
                epochs[k] = r.epoch();
                outcomes[k] = (byte) r.outcome().ordinal();
                tokens[k] = r.tokens();
                errors[k] = r.error();
                workers[k] = r.worker();
            }
            this.now = now;
        }

        @Override
        public CompleteOutcomes process(Map.Entry<String, RunRecord> entry) {
            RunRecord stored = entry.getValue();
            if (stored == null) {
                return null;
            }
            RunRecord copy = stored.copy();
            boolean confirmed = copy.confirmFunding(confirmPhases, confirmEpochs) > 0;
            int n = keys.length;
            List<CompleteResult> results = new ArrayList<>(n);
            long[] startedAt = new long[n];
            int blockedBefore = copy.count(PhaseState.BLOCKED);
            boolean accepted = false;
            for (int k = 0; k < n; k++) {
                int i = copy.blueprint().indexOf(keys[k]);
                if (i >= 0 && !copy.heldBy(i, workers[k])) {
                    results.add(CompleteResult.notHolder(copy.phaseState(i), keys[k]));
                    continue;
                }
                startedAt[k] = i >= 0 ? copy.phaseStartedAt(i) : 0;
                CompleteResult result = copy.complete(keys[k], epochs[k], Outcome.values()[outcomes[k]], tokens[k],
                        errors[k], now);
                results.add(result);
                if (result.accepted()) {
                    accepted = true;
                }
            }
            if (accepted || confirmed) {
                entry.setValue(copy);
            }
            return new CompleteOutcomes(results, startedAt, copy.state(),
                    copy.count(PhaseState.BLOCKED) - blockedBefore, copy.maxParallelism(),
                    !stored.state().isFinished() && copy.state().isFinished())
                    // an unstored copy's version is not real
                    .withShare(accepted || confirmed ? LedgerShares.of(copy) : null);
        }

        @Override
        public int getClassId() {
            return SerializationIds.RUN_COMPLETE_BATCH;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeStringArray(keys);
            out.writeLongArray(epochs);
            out.writeByteArray(outcomes);
            out.writeLongArray(tokens);
            out.writeStringArray(errors);
            out.writeStringArray(workers);
            out.writeLong(now);
            out.writeIntArray(confirmPhases);
            out.writeLongArray(confirmEpochs);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            keys = in.readStringArray();
            epochs = in.readLongArray();
            outcomes = in.readByteArray();
            tokens = in.readLongArray();
            errors = in.readStringArray();
            workers = in.readStringArray();
            now = in.readLong();
            confirmPhases = in.readIntArray();
            confirmEpochs = in.readLongArray();
        }
    }

    /**
     * Deletes the run if it is still finished at or before {@code now} (the cutoff): the retention janitor's check and
     * delete in one step, so a run restarted by a retry meanwhile is kept. Answers whether it was deleted.
     */
    public static final class Purge extends AtTime<Boolean> {

        public Purge() {
        }

        public Purge(long cutoff) {
            super(cutoff);
        }

        @Override
        public Boolean process(Map.Entry<String, RunRecord> entry) {
            RunRecord stored = entry.getValue();
            if (stored == null || !stored.state().isFinished() || stored.finishedAtMs() > now) {
                return Boolean.FALSE;
            }
            entry.setValue(null);
            return Boolean.TRUE;
        }

        @Override
        public int getClassId() {
            return SerializationIds.RUN_PURGE;
        }
    }

    /** Takes back the leases due at {@code now}; stores nothing when none is due. Answers the expired leases. */
    public static final class Expire extends AtTime<List<LeaseRef>> {

        public Expire() {
        }

        public Expire(long now) {
            super(now);
        }

        @Override
        public List<LeaseRef> process(Map.Entry<String, RunRecord> entry) {
            RunRecord stored = entry.getValue();
            if (stored == null || stored.nextDeadline() > now) {
                return List.of();
            }
            RunRecord copy = stored.copy();
            List<LeaseRef> expired = copy.expireLeases(now);
            entry.setValue(copy); // also when only re-armed: the deadline heap changed
            return List.copyOf(expired);
        }

        @Override
        public int getClassId() {
            return SerializationIds.RUN_EXPIRE;
        }
    }

    /** Cancels the run; answers the revoked leases (release their reservations). */
    public static final class Cancel extends AtTime<CancelResult> {

        public Cancel() {
        }

        public Cancel(long now) {
            super(now);
        }

        @Override
        public CancelResult process(Map.Entry<String, RunRecord> entry) {
            return onCopy(entry, copy -> copy.cancel(now), CancelResult::changed);
        }

        @Override
        public int getClassId() {
            return SerializationIds.RUN_CANCEL;
        }
    }

    /** Re-runs a finished run's failed, blocked and cancelled phases. */
    public static final class Retry extends AtTime<RetryResult> {

        public Retry() {
        }

        public Retry(long now) {
            super(now);
        }

        @Override
        public RetryResult process(Map.Entry<String, RunRecord> entry) {
            return onCopy(entry, copy -> copy.retry(now), r -> r.accepted() && r.phasesReset() > 0);
        }

        @Override
        public int getClassId() {
            return SerializationIds.RUN_RETRY;
        }
    }

    /** Read-only: the run as status shows it, with or without its phases. */
    /** Read-only: the run's share on the cluster ledger, as stored. */
    public static final class LedgerShareOf extends Base<io.phasegrid.coordinator.ledger.LedgerShare>
            implements ReadOnly {

        public LedgerShareOf() {
        }

        @Override
        public io.phasegrid.coordinator.ledger.LedgerShare process(Map.Entry<String, RunRecord> entry) {
            RunRecord r = entry.getValue();
            return r == null ? null : LedgerShares.of(r);
        }

        @Override
        public EntryProcessor<String, RunRecord, io.phasegrid.coordinator.ledger.LedgerShare> getBackupProcessor() {
            return null;
        }

        @Override
        public int getClassId() {
            return SerializationIds.RUN_LEDGER_SHARE_OF;
        }

        @Override
        public void writeData(ObjectDataOutput out) {
        }

        @Override
        public void readData(ObjectDataInput in) {
        }
    }

    public static final class View extends Base<SummaryData> implements ReadOnly {
        private boolean withPhases;

        public View() {
        }

        public View(boolean withPhases) {
            this.withPhases = withPhases;
        }

        @Override
        public SummaryData process(Map.Entry<String, RunRecord> entry) {
            RunRecord r = entry.getValue();
            return r == null ? null : new SummaryData(RunSummary.of(r, withPhases));
        }

        @Override
        public EntryProcessor<String, RunRecord, SummaryData> getBackupProcessor() {
            return null;
        }

        @Override
        public int getClassId() {
            return SerializationIds.RUN_VIEW;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeBoolean(withPhases);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            withPhases = in.readBoolean();
        }
    }

    /** Read-only: the run's events after a sequence number, with its state (so a watcher knows when it ended). */
    public static final class Events extends Base<EventPage> implements ReadOnly {
        private long since;

        public Events() {
        }

        public Events(long since) {
            this.since = since;
        }

        @Override
        public EventPage process(Map.Entry<String, RunRecord> entry) {
            RunRecord r = entry.getValue();
            return r == null ? null : r.eventsSince(since);
        }

        @Override
        public EntryProcessor<String, RunRecord, EventPage> getBackupProcessor() {
            return null;
        }

        @Override
        public int getClassId() {
            return SerializationIds.RUN_EVENTS;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeLong(since);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            since = in.readLong();
        }
    }
}
