package io.phasegrid.common.logging;

import java.util.List;

/**
 * Names of the MDC entries that every log line about a phase carries, on workers and coordinators alike; the json log
 * format writes each as a top-level field (docs/cli.md, "Logs"). Values are strings.
 */
public final class LogFields {

    /** The run id. */
    public static final String RUN = "run";
    /** The phase key, e.g. {@code 07}. */
    public static final String PHASE = "phase";
    /** The attempt number, 1 for the first. */
    public static final String ATTEMPT = "attempt";
    /** The worker's name. */
    public static final String WORKER = "worker";
    /** The lease's fencing epoch. */
    public static final String EPOCH = "epoch";

    /** All of them, in the order above. */
    public static final List<String> PHASE_FIELDS = List.of(RUN, PHASE, ATTEMPT, WORKER, EPOCH);

    private LogFields() {
    }
}
