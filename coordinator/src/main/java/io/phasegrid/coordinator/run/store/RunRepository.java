package io.phasegrid.coordinator.run.store;

import io.phasegrid.coordinator.ledger.LedgerShare;
import io.phasegrid.coordinator.run.CancelResult;
import io.phasegrid.coordinator.run.EventPage;
import io.phasegrid.coordinator.run.RetryResult;
import io.phasegrid.coordinator.run.RunRecord;
import java.util.Map;
import java.util.Set;

/**
 * The stored runs as the run domain service ({@code HazelcastRunCoordinator}) and the share sync ({@link ShareSync})
 * use them: each change is one of the run processors applied atomically to one run. {@link RunStore} keeps them in
 * the Hazelcast maps; a test can keep them in memory, applying the same processors to plain map entries. Methods
 * answer {@code null} for an unknown run; {@code now} is the caller's clock.
 */
public interface RunRepository {

    /**
     * Stores a new run and its metadata, after reserving its plan contents' bytes against {@code maxRetainedBytes}.
     *
     * @return false when the run id is taken (nothing stored)
     * @throws RetainedBytesExceeded when the retained contents would pass the cap; nothing is stored
     */
    boolean create(RunRecord record, RunMeta meta, long maxRetainedBytes, long now);

    /** The run's summary, with or without its phases. */
    RunSummary view(String runId, boolean withPhases);

    /** Every run's summary without phases, by run id. */
    Map<String, RunSummary> summaries();

    /** The run's idempotency key and minimum tokens per phase, without plan contents. */
    RunMeta header(String runId);

    CancelResult cancel(String runId, long now);

    /** @param resolutions git runs: phase key -> the commit its next attempt starts at */
    RetryResult retry(String runId, Map<String, String> resolutions, long now);

    /** Sets the run's own budget ({@link SetRunBudget}); answers whether the run resumed. */
    Boolean setBudget(String runId, long budgetTokens, long now);

    /** The run's share on the cluster ledger as stored now. */
    LedgerShare ledgerShare(String runId);

    EventPage eventsSince(String runId, long sequence);

    /**
     * Whether each of {@code runIds} that is stored is finished (the quotas' release of ended runs); an id with no
     * stored run has no entry.
     */
    Map<String, Boolean> finishedOf(Set<String> runIds);

    /** Tells {@code listener} of every change (without values) of the run until the subscription is closed. */
    Subscription listen(String runId, RunListener listener);

    /** What a {@link #listen} listener hears: the run changed, or it was removed. */
    interface RunListener {
        void updated();

        void removed();
    }

    /** An open {@link #listen}; closing it twice is harmless. */
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
