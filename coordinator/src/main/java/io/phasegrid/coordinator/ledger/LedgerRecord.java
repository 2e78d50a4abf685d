package io.phasegrid.coordinator.ledger;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.phasegrid.coordinator.hazelcast.SerializationIds;
import java.io.IOException;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The cluster-wide token ledger: one value in the ledger map, changed only by {@link LedgerProcessors}. The rules
 * live here as plain methods so they are tested without Hazelcast.
 *
 * <p>The ledger is a mirror of the runs: one share per run (see {@link LedgerShare}), replaced only by a newer
 * version, plus the fundings it granted to Lease calls the run has not confirmed yet. Finished shares are folded
 * into {@code foldedUsed} after {@link #FOLD_AFTER_MS}.
 */
public final class LedgerRecord implements IdentifiedDataSerializable {

    /**
     * How long a finished share stays before it is folded: longer than Hazelcast's invocation timeout, so a retried
     * sync of a finished run never meets a ledger that has already folded it.
     */
    public static final long FOLD_AFTER_MS = 10 * 60_000;

    /** Answer of {@link #fund} for a Lease call a sync already settled: its leases are gone, nothing is granted. */
    public static final int STALE_CALL = -1;

    private long budget;
    // the mirror of the runs; shares are immutable, so a shallow copy of the map is a deep copy of the ledger
    private Map<String, Share> shares = new HashMap<>();
    private long foldedUsed;

    public LedgerRecord() {
    }

    public LedgerRecord(long budget) {
        this.budget = budget;
    }

    LedgerRecord copy() {
        LedgerRecord copy = new LedgerRecord(budget);
        copy.shares = new HashMap<>(shares);
        copy.foldedUsed = foldedUsed;
        return copy;
    }

    public LedgerSnapshot snapshot() {
        LedgerTotals totals = totals();
        return new LedgerSnapshot(budget, totals.reserved(), totals.used(), (int) totals.leases());
    }

    /**
     * Funds the Lease call {@code leaseCall} of share {@code key}: grants the longest prefix of {@code estimates}
     * the budget carries ({@link FundingRule#withinLedger}, against the ledger's totals now) and holds it as a
     * funding until a sync of the share no longer lists the call as unconfirmed.
     * Idempotent per (key, leaseCall): a repeated call answers the first one's count and changes nothing.
     *
     * @return how many of {@code estimates} (a prefix) were granted
     */
    public int fund(String key, long leaseCall, long[] estimates, long minTokensPerPhase) {
        Share share = shares.get(key);
        Funding earlier = share != null ? share.fundings().get(leaseCall) : null;
        if (earlier != null) {
            return earlier.leases();
        }
        if (share != null && share.settles(leaseCall)) {
            // a late funding (its poll was slow, or Hazelcast retried it): a sync at or after the call already said
            // none of its leases waits for funding any more (expired, cancelled, or the run moved to a new share)
            return STALE_CALL;
        }
        Funding grant = grant(estimates, minTokensPerPhase);
        // recorded even when nothing was granted, so a retry answers 0 again
        shares.put(key, (share != null ? share : Share.FUNDED_ONLY).withFunding(leaseCall, grant));
        return grant.leases();
    }

    /**
     * Applies the run's totals when they are newer than the share's (older and equal versions change nothing), then
     * folds the finished shares whose grace period has passed by {@code nowMs}.
     *
     * @return whether the budget is limited
     */
    public boolean sync(LedgerShare share, long nowMs) {
        return syncAll(List.of(share), nowMs);
    }

    /** {@link #sync} of each share, folding once at the end. */
    public boolean syncAll(List<LedgerShare> synced, long nowMs) {
        for (LedgerShare s : synced) {
            apply(s, nowMs);
        }
        fold(nowMs);
        return budget > 0;
    }

    private void apply(LedgerShare s, long nowMs) {
        Share share = shares.get(s.key());
        if (share == null) {
            // a missing share past its grace period was folded already: adding it again would count it twice
            if (!isFoldable(s.finishedAtMs(), nowMs)) {
                shares.put(s.key(), Share.of(s, Map.of()));
            }
        } else if (s.version() >= share.version()) {
            // an equal version is the same state again (the sweeper's periodic sync of an idle run)
            shares.put(s.key(), Share.of(s, liveFundings(share.fundings(), s)));
        }
    }

    /** The fundings the sync does not settle: calls after its version, and calls it still lists as unconfirmed. */
    private static Map<Long, Funding> liveFundings(Map<Long, Funding> fundings, LedgerShare s) {
        if (fundings.isEmpty()) {
            return fundings;
        }
        Map<Long, Funding> live = new HashMap<>();
        fundings.forEach((call, funding) -> {
            if (call > s.version() || s.listsUnconfirmed(call)) {
                live.put(call, funding);
            }
        });
        return live.size() == fundings.size() ? fundings : Collections.unmodifiableMap(live);
    }

    private void fold(long nowMs) {
        shares.values().removeIf(share -> {
            boolean folds = share.fundings().isEmpty() && isFoldable(share.finishedAtMs(), nowMs);
            if (folds) {
                foldedUsed = Tokens.add(foldedUsed, share.used());
            }
            return folds;
        });
    }

    private static boolean isFoldable(long finishedAtMs, long nowMs) {
        return finishedAtMs > 0 && finishedAtMs + FOLD_AFTER_MS <= nowMs;
    }

    /** @throws IllegalArgumentException for a budget below 0 or over {@link Tokens#CAP} */
    public void setBudget(long tokens) {
        budget = requireBudget(tokens);
    }

    /**
     * @throws IllegalArgumentException for a top-up below 1, or one that would take the budget over {@link Tokens#CAP}
     * @throws IllegalStateException when the budget is unlimited
     */
    public void topUp(long tokens) {
        requireTopUp(tokens);
        if (budget <= 0) {
            throw new IllegalStateException("the budget is unlimited (0): set a budget before topping it up");
        }
        if (tokens > Tokens.CAP - budget) {
            throw new IllegalArgumentException("a top-up of " + tokens + " would take the budget of " + budget
                    + " over the maximum " + Tokens.CAP + " (10^18)");
        }
        budget += tokens;
    }

    /** @throws IllegalArgumentException for a budget below 0 or over {@link Tokens#CAP} */
    static long requireBudget(long tokens) {
        if (tokens < 0 || tokens > Tokens.CAP) {
            throw new IllegalArgumentException("budget must be between 0 (unlimited) and " + Tokens.CAP
                    + " (10^18), was " + tokens);
        }
        return tokens;
    }

    /** @throws IllegalArgumentException for a top-up below 1 or over {@link Tokens#CAP} */
    static long requireTopUp(long tokens) {
        if (tokens < 1 || tokens > Tokens.CAP) {
            throw new IllegalArgumentException("top-up must be between 1 and " + Tokens.CAP + " (10^18), was "
                    + tokens);
        }
        return tokens;
    }

    /** Whether the ledger holds a share under {@code key} (not yet folded). */
    boolean holdsShare(String key) {
        return shares.containsKey(key);
    }

    /** The Lease calls of share {@code key} whose fundings the ledger still holds. */
    Set<Long> fundedCalls(String key) {
        Share share = shares.get(key);
        return share != null ? Set.copyOf(share.fundings().keySet()) : Set.of();
    }

    /** The prefix of {@code estimates} {@link FundingRule#withinLedger} grants, and its tokens. */
    private Funding grant(long[] estimates, long minTokensPerPhase) {
        int granted = FundingRule.withinLedger(totals(), estimates, minTokensPerPhase);
        long tokens = 0;
        for (int k = 0; k < granted; k++) {
            tokens = Tokens.add(tokens, estimates[k]);
        }
        return new Funding(tokens, granted);
    }

    private LedgerTotals totals() {
        long totalReserved = 0;
        long totalUsed = foldedUsed;
        long totalLeases = 0;
        for (Share share : shares.values()) {
            totalReserved = Tokens.add(totalReserved, share.reserved());
            totalUsed = Tokens.add(totalUsed, share.used());
            totalLeases += share.leases();
            for (Funding funding : share.fundings().values()) {
                totalReserved = Tokens.add(totalReserved, funding.tokens());
                totalLeases += funding.leases();
            }
        }
        return new LedgerTotals(budget, totalReserved, totalUsed, totalLeases);
    }

    /** A reservation granted to one Lease call that the run has not confirmed yet; one lease per granted phase. */
    private record Funding(long tokens, int leases) {
    }

    /** The ledger's view of one run: its last synced totals and the fundings not yet settled by a sync. */
    private record Share(long version, long reserved, long used, int leases, long finishedAtMs,
            Set<Long> unconfirmedCalls, Map<Long, Funding> fundings) {

        /** A share first created by a funding: any sync is newer. */
        static final Share FUNDED_ONLY = new Share(Long.MIN_VALUE, 0, 0, 0, 0, Set.of(), Map.of());

        static Share of(LedgerShare s, Map<Long, Funding> fundings) {
            Set<Long> unconfirmed = new HashSet<>();
            for (long call : s.unconfirmedCalls()) {
                unconfirmed.add(call);
            }
            return new Share(s.version(), s.reserved(), s.used(), s.leases(), s.finishedAtMs(),
                    Set.copyOf(unconfirmed), fundings);
        }

        /** The last synced version covers {@code leaseCall} and none of the call's leases waits for funding. */
        boolean settles(long leaseCall) {
            return version >= leaseCall && !unconfirmedCalls.contains(leaseCall);
        }

        Share withFunding(long leaseCall, Funding funding) {
            Map<Long, Funding> more = new HashMap<>(fundings);
            more.put(leaseCall, funding);
            return new Share(version, reserved, used, leases, finishedAtMs, unconfirmedCalls,
                    Collections.unmodifiableMap(more));
        }
    }

    @Override
    public int getFactoryId() {
        return SerializationIds.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return SerializationIds.LEDGER_RECORD;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeLong(budget);
        out.writeLong(foldedUsed);
        out.writeInt(shares.size());
        for (Map.Entry<String, Share> entry : shares.entrySet()) {
            Share share = entry.getValue();
            out.writeString(entry.getKey());
            out.writeLong(share.version());
            out.writeLong(share.reserved());
            out.writeLong(share.used());
            out.writeInt(share.leases());
            out.writeLong(share.finishedAtMs());
            out.writeLongArray(share.unconfirmedCalls().stream().mapToLong(Long::longValue).toArray());
            out.writeInt(share.fundings().size());
            for (Map.Entry<Long, Funding> funding : share.fundings().entrySet()) {
                out.writeLong(funding.getKey());
                out.writeLong(funding.getValue().tokens());
                out.writeInt(funding.getValue().leases());
            }
        }
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        budget = in.readLong();
        foldedUsed = in.readLong();
        int shareCount = in.readInt();
        shares = new HashMap<>();
        for (int i = 0; i < shareCount; i++) {
            String key = in.readString();
            long version = in.readLong();
            long shareReserved = in.readLong();
            long shareUsed = in.readLong();
            int leases = in.readInt();
            long finishedAtMs = in.readLong();
            Set<Long> unconfirmed = new HashSet<>();
            for (long call : in.readLongArray()) {
                unconfirmed.add(call);
            }
            int fundingCount = in.readInt();
            Map<Long, Funding> fundings = new HashMap<>();
            for (int j = 0; j < fundingCount; j++) {
                long leaseCall = in.readLong();
                long tokens = in.readLong();
                fundings.put(leaseCall, new Funding(tokens, in.readInt()));
            }
            shares.put(key, new Share(version, shareReserved, shareUsed, leases, finishedAtMs, Set.copyOf(unconfirmed),
                    Collections.unmodifiableMap(fundings)));
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LedgerRecord other && budget == other.budget && foldedUsed == other.foldedUsed
                && shares.equals(other.shares);
    }

    @Override
    public int hashCode() {
        return Objects.hash(budget, foldedUsed, shares);
    }

    @Override
    public String toString() {
        return "LedgerRecord[budget=" + budget + ", foldedUsed=" + foldedUsed + ", shares=" + shares + "]";
    }
}
