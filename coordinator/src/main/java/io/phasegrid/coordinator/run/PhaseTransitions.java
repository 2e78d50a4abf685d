package io.phasegrid.coordinator.run;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The legal changes of a phase's state, as a table (from -> the states it may go to), checked by
 * {@link RunRecord}'s one {@code change()}. A phase starts PENDING, READY or SKIPPED; the final states are left only
 * through a retry. See {@code docs/scheduling.md}.
 */
final class PhaseTransitions {

    private static final Map<PhaseState, Set<PhaseState>> ALLOWED = new EnumMap<>(PhaseState.class);

    static {
        allow(PhaseState.PENDING, PhaseState.READY, PhaseState.BLOCKED, PhaseState.CANCELLED);
        allow(PhaseState.READY, PhaseState.LEASED, PhaseState.CANCELLED);
        allow(PhaseState.LEASED, PhaseState.RUNNING, PhaseState.READY, PhaseState.SUCCEEDED, PhaseState.FAILED,
                PhaseState.CANCELLED);
        allow(PhaseState.RUNNING, PhaseState.READY, PhaseState.SUCCEEDED, PhaseState.FAILED, PhaseState.CANCELLED);
        allow(PhaseState.SUCCEEDED);
        allow(PhaseState.FAILED, PhaseState.READY, PhaseState.PENDING);
        allow(PhaseState.BLOCKED, PhaseState.READY, PhaseState.PENDING);
        allow(PhaseState.SKIPPED);
        allow(PhaseState.CANCELLED, PhaseState.READY, PhaseState.PENDING);
    }

    private PhaseTransitions() {
    }

    private static void allow(PhaseState from, PhaseState... to) {
        ALLOWED.put(from, to.length == 0 ? EnumSet.noneOf(PhaseState.class) : EnumSet.of(to[0], to));
    }

    static boolean allowed(PhaseState from, PhaseState to) {
        return ALLOWED.get(from).contains(to);
    }

    /** Throws {@link IllegalStateException} naming both states when {@code from -> to} is not in the table. */
    static void check(String phaseKey, PhaseState from, PhaseState to) {
        if (!allowed(from, to)) {
            throw new IllegalStateException("phase " + phaseKey + ": no transition from " + from + " to " + to);
        }
    }
}
