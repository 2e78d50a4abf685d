package io.phasegrid.coordinator.run;

import io.phasegrid.coordinator.ledger.Tokens;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** The report side of a {@link RunRecord}: a lease's outcome, expired leases, and what follows for dependents. */
final class ReportTransitions {

    private ReportTransitions() {
    }

    /**
     * Records the outcome of the attempt holding {@code leaseEpoch}. Refused, changing nothing, when the epoch is not
     * the phase's latest or the lease is closed (expired, already reported). On acceptance the reported tokens are
     * charged to the phase and the run and the reservation is released; then:
     * <ul>
     *   <li>SUCCEEDED: dependents whose last dependency this was become READY. O(out-degree + log n).</li>
     *   <li>FAILED: retried after {@code backoff(failures)} (READY with a not-before time) while failures &lt;
     *   maxAttempts; else FAILED and every transitive PENDING dependent BLOCKED with reason {@code blocked_by KEY}
     *   (iterative; O(blocked subgraph)).</li>
     *   <li>ABANDONED: back to READY at once; no failure counted.</li>
     * </ul>
     * A phase cancelled with its run while leased accepts one report for its tokens and stays CANCELLED.
     * The run finishes when no phase is PENDING, READY, LEASED or RUNNING.
     */
    static CompleteResult complete(RunRecord r, int phase, long leaseEpoch, Outcome outcome, long tokensUsed,
            String error, GitReport git, long now) {
        now = r.advance(now);
        Objects.requireNonNull(outcome, "outcome");
        Tokens.requireReport("tokensUsed", tokensUsed);
        PhaseTable p = r.phases;
        if (!p.contains(phase)) {
            return CompleteResult.refused(CompleteResult.Refusal.UNKNOWN_PHASE, null, "no phase " + phase);
        }
        PhaseState current = p.stateOf(phase);
        if (leaseEpoch != p.epoch.get(phase)) {
            return CompleteResult.refused(CompleteResult.Refusal.STALE_EPOCH, current, "phase "
                    + r.blueprint.key(phase) + ": epoch " + leaseEpoch + " is not the latest lease ("
                    + p.epoch.get(phase) + ")");
        }
        if (!p.has(phase, PhaseTable.LEASE_OPEN)) {
            return CompleteResult.refused(CompleteResult.Refusal.LEASE_NOT_HELD, current, "phase "
                    + r.blueprint.key(phase) + ": the lease of epoch " + leaseEpoch
                    + " is no longer held (expired or already reported)");
        }
        String misfit = GitReports.misfit(r, phase, outcome, git);
        if (misfit != null) {
            return CompleteResult.refused(CompleteResult.Refusal.INVALID_REPORT, current, misfit);
        }
        if (outcome == Outcome.CONFLICT) {
            tokensUsed = 0; // a conflict did no work worth charging, whatever the worker counted
        }
        p.tokens.set(phase, Tokens.add(p.tokens.get(phase), tokensUsed));
        r.funding.charge(tokensUsed);
        r.closeLease(phase);
        if (current == PhaseState.CANCELLED) {
            return CompleteResult.accepted(PhaseState.CANCELLED, 0);
        }
        long retryAt = 0;
        switch (outcome) {
            case SUCCEEDED -> {
                p.reason.set(phase, "");
                p.resultCommit.set(phase, git.resultCommit());
                p.deliveryNote.set(phase, git.deliveryNote());
                p.finishedAt.set(phase, now);
                r.change(phase, PhaseState.SUCCEEDED, now);
                releaseDependents(r, phase, now);
            }
            case FAILED -> {
                int f = p.failures.add(phase, 1);
                p.reason.set(phase, RunRecord.REASON_EXECUTION_ERROR + (error == null ? "" : error));
                RetryPolicy retry = r.blueprint.settings().retry();
                if (f < retry.maxAttempts()) {
                    retryAt = now + retry.backoffMs(f);
                    p.notBefore.set(phase, retryAt);
                    r.change(phase, PhaseState.READY, now);
                    r.queues.delay(phase, retryAt);
                } else {
                    p.finishedAt.set(phase, now);
                    r.change(phase, PhaseState.FAILED, now);
                    blockDependents(r, phase, now);
                }
            }
            case CONFLICT -> {
                List<String> paths = git.keptPaths();
                p.failures.add(phase, 1);
                p.conflictPaths.set(phase, String.join("\n", paths));
                p.reason.set(phase, RunRecord.REASON_CONFLICT + String.join(", ", paths));
                p.finishedAt.set(phase, now);
                r.change(phase, PhaseState.FAILED, now);
                blockDependents(r, phase, now);
            }
            case ABANDONED -> {
                p.reason.set(phase, RunRecord.REASON_ABANDONED);
                r.change(phase, PhaseState.READY, now);
                r.enqueueReady(phase);
            }
            default -> throw new IllegalStateException("unknown outcome " + outcome);
        }
        r.finishIfDone(now);
        return CompleteResult.accepted(p.stateOf(phase), retryAt);
    }

    /**
     * Takes back every lease whose deadline is at or before {@code now}: the phase returns to READY (its checkpoint,
     * kept elsewhere, is untouched), {@code requeues} counts it, reason {@code lease_expired}; no execution failure is
     * counted. The epoch stays until the next lease, so the late holder's reports are refused as not held, and after
     * the next lease as stale. When a phase has lost {@value RunRecord#MAX_REQUEUES} leases in all (the count is
     * history and survives a retry, so a retried phase gets one more lease) it FAILS and its dependents are BLOCKED.
     * Cost: O(log n) per heap entry that is due; {@link RunRecord#nextDeadline()} says when to call.
     *
     * @return the expired leases (release their reservations)
     */
    static List<LeaseRef> expireLeases(RunRecord r, long now) {
        now = r.advance(now);
        PhaseTable p = r.phases;
        List<LeaseRef> expired = new ArrayList<>();
        for (int i = r.queues.takeExpired(now); i >= 0; i = r.queues.takeExpired(now)) {
            long tag = p.epoch.get(i);
            boolean wasReserved = p.has(i, PhaseTable.RESERVED);
            r.closeLease(i);
            PhaseState s = p.stateOf(i);
            if (s != PhaseState.LEASED && s != PhaseState.RUNNING) {
                continue; // cancelled with its run; its reservation was released then
            }
            int requeues = p.requeues.add(i, 1);
            int blocked = 0;
            if (requeues >= RunRecord.MAX_REQUEUES) {
                // a phase whose every lease is lost (it kills its workers, or hangs them) must not loop forever
                p.reason.set(i, RunRecord.REASON_LEASE_EXPIRED + ": lost " + requeues + " leases");
                p.finishedAt.set(i, now);
                r.change(i, PhaseState.FAILED, now);
                int blockedBefore = r.counts.of(PhaseState.BLOCKED);
                blockDependents(r, i, now);
                blocked = r.counts.of(PhaseState.BLOCKED) - blockedBefore;
            } else {
                p.reason.set(i, RunRecord.REASON_LEASE_EXPIRED);
                r.change(i, PhaseState.READY, now);
                r.enqueueReady(i);
            }
            expired.add(new LeaseRef(i, r.blueprint.key(i), tag, wasReserved ? r.blueprint.estimatedTokens(i) : 0,
                    p.stateOf(i) == PhaseState.FAILED, blocked));
        }
        if (!expired.isEmpty()) {
            r.finishIfDone(now);
        }
        return expired;
    }

    private static void releaseDependents(RunRecord r, int i, long now) {
        RunBlueprint b = r.blueprint;
        for (int k = 0, m = b.dependentCount(i); k < m; k++) {
            int d = b.dependent(i, k);
            if (r.phases.stateOf(d) == PhaseState.PENDING && r.phases.remainingDeps.add(d, -1) == 0) {
                r.change(d, PhaseState.READY, now);
                r.enqueueReady(d);
            }
        }
    }

    /** Iterative depth-first walk over PENDING dependents; each phase is visited once (it leaves PENDING). */
    private static void blockDependents(RunRecord r, int root, long now) {
        RunBlueprint b = r.blueprint;
        String why = RunRecord.REASON_BLOCKED_BY + b.key(root);
        int[] stack = new int[16];
        int top = 0;
        stack[top++] = root;
        while (top > 0) {
            int x = stack[--top];
            for (int k = 0, m = b.dependentCount(x); k < m; k++) {
                int d = b.dependent(x, k);
                if (r.phases.stateOf(d) != PhaseState.PENDING) {
                    continue; // SKIPPED dependents satisfy their own dependents; nothing else can be waiting
                }
                r.phases.reason.set(d, why);
                r.phases.finishedAt.set(d, now);
                r.change(d, PhaseState.BLOCKED, now);
                if (top == stack.length) {
                    stack = Arrays.copyOf(stack, top * 2);
                }
                stack[top++] = d;
            }
        }
    }
}
