package io.phasegrid.coordinator.quota;

/** A submission over its principal's quota (RESOURCE_EXHAUSTED); nothing was stored and no key kept. */
public final class QuotaExceeded extends RuntimeException {

    public QuotaExceeded(String message) {
        super(message);
    }
}
