package io.phasegrid.coordinator.grpc;

import com.hazelcast.core.HazelcastInstanceNotActiveException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.phasegrid.coordinator.auth.TokenAdmin;
import io.phasegrid.coordinator.lease.ForeignWorkerException;
import io.phasegrid.coordinator.quota.QuotaExceeded;
import io.phasegrid.coordinator.service.RunAccessDenied;
import io.phasegrid.coordinator.lease.StaleLeaseException;
import io.phasegrid.coordinator.service.RunNotFoundException;
import io.phasegrid.coordinator.store.StoreUnavailableException;
import io.phasegrid.coordinator.submit.ClientText;
import io.phasegrid.coordinator.submit.SubmissionRejected;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place domain exceptions become gRPC status codes. Every description it answers is at most
 * {@link #MAX_DESCRIPTION} characters: messages quote client input through {@link ClientText} (200 characters), and
 * this bound is the backstop for any message that does not.
 */
final class GrpcCalls {

    /** Longest status description answered, so no error carries unbounded input into the trailers. */
    static final int MAX_DESCRIPTION = 512;

    private static final Logger LOG = LoggerFactory.getLogger(GrpcCalls.class);

    private GrpcCalls() {
    }

    /** Answers a unary call with {@code call}'s result, or the status its exception maps to. */
    static <T> void unary(StreamObserver<T> responses, Callable<T> call) {
        T result;
        try {
            result = call.call();
        } catch (Exception e) {
            responses.onError(toStatus(e));
            return;
        }
        responses.onNext(result);
        responses.onCompleted();
    }

    static StatusRuntimeException toStatus(Exception e) {
        if (e instanceof StatusRuntimeException s) {
            String description = s.getStatus().getDescription();
            return description == null || description.length() <= MAX_DESCRIPTION ? s
                    : s.getStatus().withDescription(bounded(description)).asRuntimeException(s.getTrailers());
        }
        Status status;
        if (e instanceof SubmissionRejected rejected) {
            status = switch (rejected.reason()) {
                case INVALID -> Status.INVALID_ARGUMENT;
                case TOO_LARGE -> Status.RESOURCE_EXHAUSTED;
                case EMPTY -> Status.INVALID_ARGUMENT;
            };
        } else if (e instanceof QuotaExceeded) {
            status = Status.RESOURCE_EXHAUSTED;
        } else if (causedBy(e, StoreUnavailableException.class)) {
            // the database is away: nothing was acknowledged, the caller retries later
            status = Status.UNAVAILABLE;
        } else if (e instanceof HazelcastInstanceNotActiveException) {
            // this member is leaving the cluster: the caller should go to another member, not give up
            status = Status.UNAVAILABLE;
        } else if (e instanceof RunNotFoundException || e instanceof TokenAdmin.UnknownToken) {
            status = Status.NOT_FOUND;
        } else if (e instanceof ForeignWorkerException || e instanceof RunAccessDenied) {
            status = Status.PERMISSION_DENIED;
        } else if (e instanceof TokenAdmin.NameTaken) {
            status = Status.ALREADY_EXISTS;
        } else if (e instanceof StaleLeaseException || e instanceof IllegalStateException) {
            status = Status.FAILED_PRECONDITION;
        } else if (e instanceof IllegalArgumentException) {
            status = Status.INVALID_ARGUMENT;
        } else if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            status = Status.CANCELLED;
        } else {
            LOG.error("unexpected error in a gRPC call", e);
            status = Status.INTERNAL;
        }
        return status.withDescription(bounded(e.getMessage())).asRuntimeException();
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** {@code description} cut to {@link #MAX_DESCRIPTION} characters ("…" marks the cut). */
    static String bounded(String description) {
        return description == null ? null : ClientText.cut(description, MAX_DESCRIPTION);
    }
}
