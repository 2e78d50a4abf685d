package io.phasegrid.coordinator.grpc;

import io.phasegrid.coordinator.ledger.Tokens;
import io.phasegrid.coordinator.submit.ClientText;
import io.phasegrid.proto.v1.CompletePhaseRequest;
import io.phasegrid.proto.v1.CompletePhasesRequest;
import io.phasegrid.proto.v1.HeartbeatRequest;
import io.phasegrid.proto.v1.LeaseRef;
import io.phasegrid.proto.v1.Outcome;
import io.phasegrid.proto.v1.PollLeaseRequest;
import io.phasegrid.proto.v1.RegisterWorkerRequest;
import io.phasegrid.proto.v1.SaveCheckpointRequest;
import java.util.Map;

/**
 * The limits worker.proto states for WorkerService requests, checked before any work by the unary methods and the
 * Connect stream alike: over a limit is {@link IllegalArgumentException} (INVALID_ARGUMENT), with a message that
 * quotes at most {@value #QUOTED_CHARS} characters of the offending value. The one exception is
 * {@code CompletePhaseRequest.error}: a failing agent's long error text must not cost its report, so it is cut to
 * {@value #MAX_ERROR_CHARS} characters with a marker ({@link #errorText}).
 */
final class WorkerRequestLimits {

    static final int MAX_NAME_CHARS = 256;
    static final int MAX_SLOTS = 10_000;
    static final int MAX_LABELS = 64;
    static final int MAX_LABEL_KEY_CHARS = 128;
    static final int MAX_LABEL_VALUE_CHARS = 1_024;
    static final int MAX_WORKER_ID_CHARS = 128;
    static final int MAX_RUN_ID_CHARS = 128;
    static final int MAX_PHASE_KEY_CHARS = 256;
    static final int MAX_LEASES_PER_HEARTBEAT = 10_000;
    static final int MAX_CHECKPOINT_BYTES = 1 << 20;
    static final int MAX_COMPLETED_PLANS = 1_000;
    static final int MAX_PLAN_ID_CHARS = 256;
    static final int MAX_REPORTS_PER_MESSAGE = 10_000;
    static final int MAX_ERROR_CHARS = 4_096;
    static final int MAX_CONFLICT_PATHS = 1_000;
    static final int MAX_CONFLICT_PATH_CHARS = 4_096;
    static final int MAX_DELIVERY_NOTE_CHARS = 1_024;
    static final int QUOTED_CHARS = ClientText.WORKER_QUOTED;

    private WorkerRequestLimits() {
    }

    static void register(RegisterWorkerRequest request) {
        String name = request.getName();
        if (name.isBlank()) {
            throw new IllegalArgumentException("name is required (a worker needs a name)");
        }
        maxChars("name", name, MAX_NAME_CHARS);
        slots("slots", request.getSlots(), 1);
        if (request.getLabelsCount() > MAX_LABELS) {
            throw new IllegalArgumentException("labels: at most " + MAX_LABELS + " entries, was "
                    + request.getLabelsCount());
        }
        for (Map.Entry<String, String> label : request.getLabelsMap().entrySet()) {
            if (label.getKey().isEmpty()) {
                throw new IllegalArgumentException("labels: a key must not be empty");
            }
            maxChars("label key", label.getKey(), MAX_LABEL_KEY_CHARS);
            maxChars("label '" + quote(label.getKey()) + "'", label.getValue(), MAX_LABEL_VALUE_CHARS);
        }
    }

    static void poll(PollLeaseRequest request) {
        workerId(request.getWorkerId());
        if (request.getFreeSlots() < 1 || request.getFreeSlots() > MAX_SLOTS) {
            throw new IllegalArgumentException("free_slots must be between 1 and the worker's registered slots, was "
                    + request.getFreeSlots());
        }
        if (request.getWaitMs() < 0) {
            throw new IllegalArgumentException("wait_ms must not be negative (0 = answer at once), was "
                    + request.getWaitMs());
        }
    }

    static void heartbeat(HeartbeatRequest request) {
        workerId(request.getWorkerId());
        if (request.getLeasesCount() > MAX_LEASES_PER_HEARTBEAT) {
            throw new IllegalArgumentException("leases: at most " + MAX_LEASES_PER_HEARTBEAT + " per heartbeat, was "
                    + request.getLeasesCount());
        }
        request.getLeasesList().forEach(WorkerRequestLimits::leaseRef);
        slots("slots", request.getSlots(), 0);
        slots("busy_slots", request.getBusySlots(), 0);
        if (request.getSlots() > 0 && request.getBusySlots() > request.getSlots()) {
            throw new IllegalArgumentException("busy_slots (" + request.getBusySlots() + ") must not exceed slots ("
                    + request.getSlots() + ")");
        }
    }

    static void checkpoint(SaveCheckpointRequest request) {
        leaseRef(request.getLease());
        if (request.getBlob().size() > MAX_CHECKPOINT_BYTES) {
            throw new IllegalArgumentException("blob: at most " + MAX_CHECKPOINT_BYTES + " bytes (1 MiB), was "
                    + request.getBlob().size());
        }
        if (request.getCompletedPlansCount() > MAX_COMPLETED_PLANS) {
            throw new IllegalArgumentException("completed_plans: at most " + MAX_COMPLETED_PLANS + " entries, was "
                    + request.getCompletedPlansCount());
        }
        for (String plan : request.getCompletedPlansList()) {
            maxChars("completed plan id", plan, MAX_PLAN_ID_CHARS);
        }
        Tokens.requireReport("tokens_so_far", request.getTokensSoFar());
        if (!request.getCommit().isEmpty()) {
            GitForms.commit("commit", request.getCommit());
        }
    }

    /** Checks a report; its {@code error} is not checked but cut ({@link #errorText}). */
    static void complete(CompletePhaseRequest request) {
        leaseRef(request.getLease());
        switch (request.getOutcome()) {
            case OUTCOME_SUCCEEDED, OUTCOME_FAILED, OUTCOME_ABANDONED, OUTCOME_CONFLICT -> { }
            case OUTCOME_UNSPECIFIED -> throw new IllegalArgumentException(
                    "outcome is required (OUTCOME_SUCCEEDED, OUTCOME_FAILED or OUTCOME_ABANDONED)");
            default -> throw new IllegalArgumentException("outcome " + request.getOutcomeValue()
                    + " is not a known Outcome");
        }
        Tokens.requireReport("tokens_used", request.getTokensUsed());
        if (request.getOutcome() == Outcome.OUTCOME_SUCCEEDED && !request.getResultCommit().isEmpty()) {
            GitForms.commit("result_commit", request.getResultCommit());
        }
        conflictPaths(request);
    }

    private static void conflictPaths(CompletePhaseRequest request) {
        int n = request.getConflictPathsCount();
        if (request.getOutcome() != Outcome.OUTCOME_CONFLICT) {
            if (n > 0) {
                throw new IllegalArgumentException("conflict_paths must be empty unless the outcome is "
                        + "OUTCOME_CONFLICT");
            }
            return;
        }
        if (n < 1 || n > MAX_CONFLICT_PATHS) {
            throw new IllegalArgumentException("conflict_paths: OUTCOME_CONFLICT needs 1 to " + MAX_CONFLICT_PATHS
                    + " paths, was " + n);
        }
        for (String path : request.getConflictPathsList()) {
            if (path.isEmpty()) {
                throw new IllegalArgumentException("conflict_paths: a path must not be empty");
            }
            maxChars("conflict path", path, MAX_CONFLICT_PATH_CHARS);
        }
    }

    /** The delivery note as recorded: cut at {@value #MAX_DELIVERY_NOTE_CHARS} characters. */
    static String deliveryNote(String note) {
        if (note.length() <= MAX_DELIVERY_NOTE_CHARS) {
            return note;
        }
        int keep = MAX_DELIVERY_NOTE_CHARS;
        if (Character.isHighSurrogate(note.charAt(keep - 1))) {
            keep--;
        }
        return note.substring(0, keep);
    }

    static void completeAll(CompletePhasesRequest request) {
        if (request.getReportsCount() > MAX_REPORTS_PER_MESSAGE) {
            throw new IllegalArgumentException("reports: at most " + MAX_REPORTS_PER_MESSAGE + " per message, was "
                    + request.getReportsCount());
        }
    }

    /** The error text as recorded: at most {@value #MAX_ERROR_CHARS} characters, a cut one ending in a marker. */
    static String errorText(String error) {
        if (error.length() <= MAX_ERROR_CHARS) {
            return error;
        }
        String marker = " [... cut: " + error.length() + " characters in all]";
        int keep = MAX_ERROR_CHARS - marker.length();
        if (Character.isHighSurrogate(error.charAt(keep - 1))) {
            keep--; // never split a surrogate pair
        }
        return error.substring(0, keep) + marker;
    }

    static void leaseRef(LeaseRef ref) {
        maxChars("lease.run_id", ref.getRunId(), MAX_RUN_ID_CHARS);
        maxChars("lease.phase_key", ref.getPhaseKey(), MAX_PHASE_KEY_CHARS);
        maxChars("lease.worker_id", ref.getWorkerId(), MAX_WORKER_ID_CHARS);
        if (ref.getEpoch() < 0) {
            throw new IllegalArgumentException("lease.epoch must not be negative, was " + ref.getEpoch());
        }
    }

    static void workerId(String workerId) {
        maxChars("worker_id", workerId, MAX_WORKER_ID_CHARS);
    }

    private static void slots(String field, int slots, int min) {
        if (slots < min || slots > MAX_SLOTS) {
            throw new IllegalArgumentException(field + " must be between " + min + " and " + MAX_SLOTS + ", was "
                    + slots);
        }
    }

    private static void maxChars(String field, String value, int max) {
        if (value.length() > max) {
            throw new IllegalArgumentException(field + ": at most " + max + " characters, was " + value.length()
                    + " ('" + quote(value) + "')");
        }
    }

    /** At most {@value #QUOTED_CHARS} characters of client input, for an error message. */
    static String quote(String value) {
        return ClientText.quoteForWorker(value);
    }
}
