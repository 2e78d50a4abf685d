package io.phasegrid.coordinator.store;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the database answers, as the map stores see it: one log line when it goes away (with the error) and one
 * when it is back, a failure count and an availability flag for the metrics. While it is away, every durable map
 * operation fails (nothing is acknowledged that is not stored) and clients retry.
 */
public final class StoreHealth {

    private static final Logger LOG = LoggerFactory.getLogger(StoreHealth.class);

    private final AtomicBoolean available = new AtomicBoolean(true);
    private final AtomicLong failures = new AtomicLong();

    void succeeded() {
        if (available.compareAndSet(false, true)) {
            LOG.warn("store: the database answers again; durable map operations resume");
        }
    }

    void failed(String mapName, Exception e) {
        failures.incrementAndGet();
        if (available.compareAndSet(true, false)) {
            LOG.error("store: the database is unavailable ({} on map {}); durable map operations fail until it is"
                    + " back, and clients retry", e.toString(), mapName);
        }
    }

    public boolean available() {
        return available.get();
    }

    /** Store operations that failed since the member started. */
    public long failures() {
        return failures.get();
    }
}
