package io.phasegrid.coordinator.periodic;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * One member duty run on its own daemon thread with a fixed delay between passes (the sweeper, the janitor, the
 * releaser). A pass that throws is logged and the next one runs as planned; {@link #close()} stops the thread.
 */
public final class PeriodicTask implements AutoCloseable {

    private final ScheduledExecutorService timer;

    /**
     * Schedules {@code pass} every {@code periodMs}, the first one a period from now; {@code periodMs <= 0}: never
     * (the owner's passes then run only when called).
     *
     * @param log the owner's logger, which a failed pass is logged to with {@code failure}
     */
    public PeriodicTask(String threadName, long periodMs, Runnable pass, Logger log, String failure) {
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        if (periodMs > 0) {
            timer.scheduleWithFixedDelay(() -> {
                try {
                    pass.run();
                } catch (RuntimeException e) {
                    log.warn(failure, e);
                }
            }, periodMs, periodMs, TimeUnit.MILLISECONDS);
        }
    }

    /** Stops the thread, waiting up to 5 s for a pass in progress. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
