package io.phasegrid.worker.agent;

import io.phasegrid.common.logging.LogFields;
import io.phasegrid.proto.v1.Lease;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.MDC;

/**
 * The MDC of the log lines about one leased phase ({@link LogFields}: run, phase, attempt, worker, epoch), set on the
 * current thread until {@link #close()}, which restores what the thread had before (contexts may nest).
 */
public final class PhaseLogContext implements AutoCloseable {

    private final Map<String, String> previous = new LinkedHashMap<>();

    private PhaseLogContext(Map<String, String> fields) {
        fields.forEach((key, value) -> {
            previous.put(key, MDC.get(key));
            MDC.put(key, value);
        });
    }

    /** Sets the fields of {@code lease} executed or reported by the worker named {@code worker}. */
    public static PhaseLogContext open(Lease lease, String worker) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(LogFields.RUN, lease.getRunId());
        fields.put(LogFields.PHASE, lease.getPhaseKey());
        fields.put(LogFields.ATTEMPT, Integer.toString(lease.getAttempt()));
        fields.put(LogFields.WORKER, worker);
        fields.put(LogFields.EPOCH, Long.toString(lease.getEpoch()));
        return new PhaseLogContext(fields);
    }

    /** Wraps {@code task} so that it runs in the context of {@code lease}. */
    public static Runnable wrap(Lease lease, String worker, Runnable task) {
        return () -> {
            try (PhaseLogContext context = open(lease, worker)) {
                task.run();
            }
        };
    }

    @Override
    public void close() {
        previous.forEach((key, value) -> {
            if (value == null) {
                MDC.remove(key);
            } else {
                MDC.put(key, value);
            }
        });
    }
}
