package io.phasegrid.coordinator.run;

/**
 * One change of a run, kept in the run's bounded event log for watchers. {@code sequence} increases by one per
 * event of the run, starting at 1.
 */
public sealed interface RunEvent extends java.io.Serializable permits RunEvent.PhaseChanged, RunEvent.RunChanged {

    long sequence();

    long atMs();

    /**
     * A phase changed state.
     *
     * @param attempt the phase's attempt count (leases) at the time
     * @param worker worker of the latest attempt, empty before the first lease
     * @param reason the phase's reason ("lease_expired", "blocked_by 04", "execution_error: ..."), may be empty
     * @param tokens tokens charged to the phase so far
     */
    record PhaseChanged(long sequence, long atMs, String key, PhaseState state, int attempt, String worker,
            String reason, long tokens) implements RunEvent {
    }

    /**
     * The run changed state.
     *
     * @param pauseReason "token_budget" when PAUSED, else empty
     */
    record RunChanged(long sequence, long atMs, RunState state, String pauseReason) implements RunEvent {
    }
}
