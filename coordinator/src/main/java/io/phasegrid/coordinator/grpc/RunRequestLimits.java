package io.phasegrid.coordinator.grpc;

import io.phasegrid.coordinator.run.StructuredPhases;
import io.phasegrid.coordinator.submit.ClientText;
import io.phasegrid.proto.v1.BundleFile;
import io.phasegrid.proto.v1.ListRunsRequest;
import io.phasegrid.proto.v1.RunOptions;
import io.phasegrid.proto.v1.SetRunBudgetRequest;
import io.phasegrid.proto.v1.SubmitRunRequest;
import java.util.List;

/**
 * The string and count bounds of RunService requests (run.proto states each next to its field), checked before any
 * work: over a bound is an {@link IllegalArgumentException} (INVALID_ARGUMENT) that names the field and quotes at
 * most {@link ClientText#MAX_QUOTED} characters of it. The sizes of a submission's content (bytes, files, phases)
 * are {@code SubmissionLimits}' (RESOURCE_EXHAUSTED); a structured phase's own fields are {@link StructuredPhases}'.
 */
final class RunRequestLimits {

    static final int MAX_RUN_ID = 128;
    static final int MAX_IDEMPOTENCY_KEY = 256;
    static final int MAX_RUN_NAME = 256;
    static final int MAX_BUNDLE_PATH = 1_024;
    static final int MAX_INCLUDE_BACKLOG = 1_000;
    static final int MAX_STATES = 16;
    static final int MAX_PAGE_TOKEN = 256;
    static final int MAX_PARALLEL = 10_000;
    static final int MAX_ATTEMPTS = 100;
    static final long MAX_BACKOFF_MS = 86_400_000L;
    static final double MAX_MULTIPLIER = 100.0;

    private RunRequestLimits() {
    }

    /** A run id: at most {@link #MAX_RUN_ID} characters (an unknown one is NOT_FOUND later). */
    static String runId(String runId) {
        bounded("run_id", runId, MAX_RUN_ID);
        return runId;
    }

    static void submit(SubmitRunRequest request) {
        bounded("idempotency_key", request.getIdempotencyKey(), MAX_IDEMPOTENCY_KEY);
        bounded("name", request.getName(), MAX_RUN_NAME);
        for (BundleFile file : request.getBundle().getFilesList()) {
            bounded("bundle path", file.getPath(), MAX_BUNDLE_PATH);
        }
        options(request.getOptions());
    }

    private static void options(RunOptions options) {
        range("options.max_parallel", options.getMaxParallel(), MAX_PARALLEL);
        range("options.budget_tokens", options.getBudgetTokens(), StructuredPhases.MAX_TOKENS);
        range("options.min_tokens_per_phase", options.getMinTokensPerPhase(), StructuredPhases.MAX_TOKENS);
        List<String> backlog = options.getIncludeBacklogList();
        if (backlog.size() > MAX_INCLUDE_BACKLOG) {
            throw new IllegalArgumentException("options.include_backlog has " + backlog.size()
                    + " keys; the limit is " + MAX_INCLUDE_BACKLOG);
        }
        backlog.forEach(key -> bounded("options.include_backlog entry", key, StructuredPhases.MAX_KEY));
        if (options.hasRetry()) {
            var retry = options.getRetry();
            range("options.retry.max_attempts", retry.getMaxAttempts(), MAX_ATTEMPTS);
            range("options.retry.initial_backoff_ms", retry.getInitialBackoffMs(), MAX_BACKOFF_MS);
            range("options.retry.max_backoff_ms", retry.getMaxBackoffMs(), MAX_BACKOFF_MS);
            double m = retry.getBackoffMultiplier();
            if (!(m == 0 || (m >= 1.0 && m <= MAX_MULTIPLIER))) {
                throw new IllegalArgumentException("options.retry.backoff_multiplier must be 0 (default) or 1.0 to "
                        + MAX_MULTIPLIER + ", was " + m);
            }
        }
    }

    static void listRuns(ListRunsRequest request) {
        if (request.getStatesCount() > MAX_STATES) {
            throw new IllegalArgumentException("states has " + request.getStatesCount() + " entries; the limit is "
                    + MAX_STATES);
        }
        @SuppressWarnings("deprecation")
        int limit = request.getLimit();
        if (request.getPageSize() < 0 || limit < 0) {
            throw new IllegalArgumentException("page_size must not be negative, was "
                    + Math.min(request.getPageSize(), limit));
        }
        bounded("page_token", request.getPageToken(), MAX_PAGE_TOKEN);
    }

    static void setBudget(SetRunBudgetRequest request) {
        runId(request.getRunId());
        range("budget_tokens", request.getBudgetTokens(), StructuredPhases.MAX_TOKENS);
    }

    private static void bounded(String field, String value, int max) {
        if (value.length() > max) {
            throw new IllegalArgumentException(field + " has " + value.length() + " characters; the limit is " + max
                    + " ('" + ClientText.cut(value, 40) + "')");
        }
    }

    /** 0 (the default) to {@code max}; negative is refused, never replaced by the default. */
    private static void range(String field, long value, long max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(field + " must be 0 to " + max + ", was " + value);
        }
    }
}
