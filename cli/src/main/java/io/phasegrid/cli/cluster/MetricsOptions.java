package io.phasegrid.cli.cluster;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.phasegrid.cli.InvalidInputException;
import io.phasegrid.metrics.MetricsServer;
import java.io.IOException;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.function.BooleanSupplier;
import picocli.CommandLine.Option;

/**
 * {@code --metrics-port} and {@code --metrics-host}: the Prometheus endpoint of a server process ({@code /metrics},
 * {@code /healthz}, {@code /readyz}; docs/metrics.md). Off unless a port is given.
 *
 * <pre>{@code
 * @Mixin MetricsOptions metrics;
 * ...
 * if (metrics.enabled()) {
 *     PrometheusMetrics registry = PrometheusMetrics.create();
 *     MetricsServer server = metrics.start(registry.registry(), node::isReady); // then server.beforeScrape(...)
 *     err.printf("... metrics at %s%n", server.uri("/metrics"));
 * }
 * }</pre>
 */
public final class MetricsOptions {

    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "Serve Prometheus /metrics, /healthz and /readyz on this port (0 = a free port; default: off).")
    Integer port;

    @Option(names = "--metrics-host", paramLabel = "HOST", defaultValue = MetricsServer.DEFAULT_HOST,
            description = "Interface of the metrics endpoint (default ${DEFAULT-VALUE}; 0.0.0.0 = every interface).")
    String host = MetricsServer.DEFAULT_HOST;

    /** Whether {@code --metrics-port} was given. */
    public boolean enabled() {
        return port != null;
    }

    /** The {@code --metrics-port} given (0 = a free port); empty when metrics are off. */
    public OptionalInt port() {
        return port == null ? OptionalInt.empty() : OptionalInt.of(port);
    }

    public String host() {
        return host;
    }

    /**
     * Starts the endpoint serving {@code registry}; {@code /readyz} answers 200 while {@code readiness} is true (add
     * refresh hooks with {@link MetricsServer#beforeScrape(Runnable)}). The caller closes it on shutdown.
     *
     * @throws IllegalStateException when metrics are off ({@link #enabled()})
     * @throws InvalidInputException when the port is out of range or cannot be bound on the host
     */
    public MetricsServer start(PrometheusMeterRegistry registry, BooleanSupplier readiness) {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(readiness, "readiness");
        if (port == null) {
            throw new IllegalStateException("metrics are off: no --metrics-port");
        }
        if (port < 0 || port > 65535) {
            throw new InvalidInputException("--metrics-port must be between 0 and 65535: " + port);
        }
        try {
            return MetricsServer.builder(registry).host(host).port(port).readiness(readiness).start();
        } catch (IOException | RuntimeException e) {
            throw new InvalidInputException("--metrics-host/--metrics-port: cannot listen on " + host + ":" + port
                    + ": " + e.getMessage(), e);
        }
    }
}
