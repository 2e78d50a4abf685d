package io.phasegrid.coordinator.service;

/**
 * A principal that sees only its own runs named another's, or an id that names no run: the same answer for both
 * (PERMISSION_DENIED), so nobody learns which ids exist.
 */
public final class RunAccessDenied extends RuntimeException {

    public RunAccessDenied(String message) {
        super(message);
    }
}
