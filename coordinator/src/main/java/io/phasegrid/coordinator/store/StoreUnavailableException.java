package io.phasegrid.coordinator.store;

/** The database did not take or give an entry: the map operation fails and nothing of it is acknowledged. */
public final class StoreUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
