package io.phasegrid.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * The HTTP endpoint of a process: {@code /metrics} (Prometheus text or OpenMetrics, by the Accept header),
 * {@code /healthz} (200 while the process is up) and {@code /readyz} (200 when the readiness check says so, else
 * 503). Loopback only unless a host is given; port 0 picks a free port ({@link #port()}).
 *
 * <pre>{@code
 * try (MetricsServer server = MetricsServer.builder(metrics.registry())
 *         .port(9464).readiness(node::isReady).beforeScrape(coordinatorMetrics::refreshGauges).start()) { ... }
 * }</pre>
 */
public final class MetricsServer implements AutoCloseable {

    public static final String DEFAULT_HOST = "127.0.0.1";
    static final String TEXT_004 = "text/plain; version=0.0.4; charset=utf-8";
    static final String OPENMETRICS_100 = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private static final System.Logger LOG = System.getLogger(MetricsServer.class.getName());

    private final HttpServer server;
    private final ExecutorService executor;
    private final PrometheusMeterRegistry registry;
    private final BooleanSupplier readiness;
    private final List<Runnable> beforeScrape;

    private MetricsServer(Builder builder) throws IOException {
        this.registry = builder.registry;
        this.readiness = builder.readiness;
        this.beforeScrape = new CopyOnWriteArrayList<>(builder.beforeScrape);
        this.server = HttpServer.create(new InetSocketAddress(builder.host, builder.port), 0);
        this.executor = Executors.newFixedThreadPool(2, daemonThreads());
        server.setExecutor(executor);
        server.createContext("/metrics", this::metrics);
        server.createContext("/healthz", exchange -> respond(exchange, 200, "ok\n"));
        server.createContext("/readyz", this::ready);
        server.start();
    }

    public static Builder builder(PrometheusMeterRegistry registry) {
        return new Builder(registry);
    }

    /** The bound port (the chosen one when built with port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** {@code http://host:port/path}. */
    public URI uri(String path) {
        InetSocketAddress address = server.getAddress();
        return URI.create("http://" + address.getHostString() + ":" + address.getPort() + path);
    }

    /** Runs {@code hook} before every scrape (e.g. to refresh gauges read from the cluster once per scrape). */
    public void beforeScrape(Runnable hook) {
        beforeScrape.add(Objects.requireNonNull(hook, "hook"));
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void metrics(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!isRead(exchange)) {
                respond(exchange, 405, "GET only\n");
                return;
            }
            runHooks();
            String accept = exchange.getRequestHeaders().getFirst("Accept");
            String contentType = accept != null && accept.contains("application/openmetrics-text")
                    ? OPENMETRICS_100 : TEXT_004;
            exchange.getResponseHeaders().set("Content-Type", contentType);
            if (exchange.getRequestMethod().equals("HEAD")) {
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream body = exchange.getResponseBody()) {
                registry.scrape(body, contentType);
            }
        }
    }

    // a failing hook must not cost the scrape: the other meters (and up) still matter most when something is broken
    private void runHooks() {
        for (Runnable hook : beforeScrape) {
            try {
                hook.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "metrics refresh failed; serving the previous values", e);
            }
        }
    }

    private void ready(HttpExchange exchange) throws IOException {
        boolean ready;
        try {
            ready = readiness.getAsBoolean();
        } catch (RuntimeException e) {
            ready = false;
        }
        respond(exchange, ready ? 200 : 503, ready ? "ready\n" : "not ready\n");
    }

    private static boolean isRead(HttpExchange exchange) {
        String method = exchange.getRequestMethod();
        return method.equals("GET") || method.equals("HEAD");
    }

    private static void respond(HttpExchange exchange, int status, String text) throws IOException {
        try (exchange) {
            byte[] body = text.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            if (exchange.getRequestMethod().equals("HEAD")) {
                exchange.sendResponseHeaders(status, -1);
                return;
            }
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "metrics-http-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Where and how to serve. Defaults: 127.0.0.1, port 0 (ephemeral), always ready. */
    public static final class Builder {

        private final PrometheusMeterRegistry registry;
        private final List<Runnable> beforeScrape = new CopyOnWriteArrayList<>();
        private String host = DEFAULT_HOST;
        private int port;
        private BooleanSupplier readiness = () -> true;

        private Builder(PrometheusMeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
        }

        /** The interface to bind; {@code 0.0.0.0} for every interface (Prometheus on another machine). */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** The port; 0 for a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.port = port;
            return this;
        }

        /** {@code /readyz} answers 200 while this is true; a check that throws counts as not ready. */
        public Builder readiness(BooleanSupplier readiness) {
            this.readiness = Objects.requireNonNull(readiness, "readiness");
            return this;
        }

        public Builder beforeScrape(Runnable hook) {
            beforeScrape.add(Objects.requireNonNull(hook, "hook"));
            return this;
        }

        /** Binds and starts serving; throws when the port is taken. */
        public MetricsServer start() throws IOException {
            return new MetricsServer(this);
        }
    }
}
