package io.phasegrid.cli.cluster;

import io.phasegrid.cli.InvalidInputException;
import io.phasegrid.coordinator.lease.LeaseTimings;
import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code --heartbeat-interval} and {@code --lease-ttl} of a coordinator (operators' settings). */
public final class LeaseTimingOptions {

    @Option(names = "--heartbeat-interval", paramLabel = "MS", defaultValue = "10000",
            description = "Workers heartbeat this often (default ${DEFAULT-VALUE}).")
    long heartbeatIntervalMs;

    @Option(names = "--lease-ttl", paramLabel = "MS", defaultValue = "30000",
            description = "A lease not renewed for this long expires and its phase is re-leased (default ${DEFAULT-VALUE}).")
    long leaseTtlMs;

    LeaseTimings timings() {
        try {
            return new LeaseTimings(heartbeatIntervalMs, leaseTtlMs);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("--heartbeat-interval/--lease-ttl: " + e.getMessage(), e);
        }
    }

    /** Leases are checked for expiry at a tenth of the TTL, between 20 ms and 1 s. */
    Duration sweepInterval() {
        return Duration.ofMillis(Math.max(20, Math.min(1_000, leaseTtlMs / 10)));
    }
}
