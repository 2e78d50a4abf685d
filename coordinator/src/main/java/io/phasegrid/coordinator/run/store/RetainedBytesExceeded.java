package io.phasegrid.coordinator.run.store;

import java.util.Locale;

/** A new run's plan contents would pass the cluster's cap on retained submission bytes; nothing was stored. */
public final class RetainedBytesExceeded extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RetainedBytesExceeded(long bytes, long held, long cap) {
        super(String.format(Locale.ROOT, "the coordinator cluster holds %s of submitted plan contents; this"
                + " submission's %s would pass its cap of %s on retained submissions; it is accepted again once"
                + " runs finish", size(held), size(bytes), size(cap)));
    }

    static String size(long bytes) {
        return bytes < 1 << 20 ? String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0)
                : String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
}
