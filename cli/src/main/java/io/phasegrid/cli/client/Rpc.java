package io.phasegrid.cli.client;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.phasegrid.cli.InvalidInputException;
import java.util.function.Supplier;

/** Runs a client call; a refusal becomes invalid input (exit 2), an unreachable coordinator exit 4. */
public final class Rpc {

    private Rpc() {
    }

    public static <T> T call(String coordinator, Supplier<T> call) {
        try {
            return call.get();
        } catch (StatusRuntimeException e) {
            Status status = e.getStatus();
            if (status.getCode() == Status.Code.UNAVAILABLE || status.getCode() == Status.Code.DEADLINE_EXCEEDED) {
                throw new CoordinatorUnavailableException("phasegrid: coordinator " + coordinator + " unavailable: "
                        + status.getDescription(), e);
            }
            throw new InvalidInputException("phasegrid: " + status.getCode() + ": " + status.getDescription(), e);
        }
    }

    /** The coordinator could not be reached (exit 4). */
    public static final class CoordinatorUnavailableException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        public CoordinatorUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
