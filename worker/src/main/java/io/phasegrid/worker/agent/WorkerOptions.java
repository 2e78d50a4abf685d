package io.phasegrid.worker.agent;

import io.phasegrid.worker.git.GitOptions;
import io.phasegrid.worker.metrics.WorkerMetrics;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Options of a {@link WorkerAgent}. Immutable; {@link #builder()} fills the defaults.
 *
 * @param name the worker's stable, human-readable name (default: host name + "-" + pid); registering again with the
 *     same name keeps the worker id
 * @param slots phases executed at once (default {@value #DEFAULT_SLOTS})
 * @param labels free-form labels sent at registration
 * @param coordinators coordinator addresses {@code host:port}, tried in order (default: the comma-separated
 *     {@code PHASEGRID_COORDINATOR} environment variable, else {@value #DEFAULT_COORDINATOR})
 * @param pollWait how long one long poll may wait for work (default 20 s; the coordinator caps it at 30 s)
 * @param reconnectBackoff delay between connection attempts (default {@link Backoff#DEFAULT})
 * @param drainGrace how long {@link WorkerAgent#close()} lets running phases finish (default 30 s)
 * @param workspaceRoot phases run in {@code <root>/<run>/<phase>} (default
 *     {@code ${java.io.tmpdir}/phasegrid/workspaces})
 * @param rpcTimeout deadline of every call except the long poll, which gets {@code pollWait + rpcTimeout}; also
 *     how long a drain waits for the last reports to be delivered (default 10 s)
 * @param reportAttempts how many times a checkpoint or completion is sent before it is given up (each failed send
 *     is followed by a reconnection; default {@value #DEFAULT_REPORT_ATTEMPTS})
 * @param metrics where the agent records its slots, executed attempts and reconnects (default
 *     {@link WorkerMetrics#disabled()}: records nothing)
 * @param git how git leases are handled: allowed repositories, credentials, operator commands (default
 *     {@link GitOptions#none()}: every git lease fails naming its URL)
 */
public record WorkerOptions(
        String name,
        int slots,
        Map<String, String> labels,
        List<String> coordinators,
        Duration pollWait,
        Backoff reconnectBackoff,
        Duration drainGrace,
        Path workspaceRoot,
        Duration rpcTimeout,
        int reportAttempts,
        WorkerMetrics metrics,
        GitOptions git) {

    public static final int DEFAULT_SLOTS = 4;
    public static final String DEFAULT_COORDINATOR = "localhost:7400";
    public static final String COORDINATOR_ENV = "PHASEGRID_COORDINATOR";
    public static final Duration DEFAULT_POLL_WAIT = Duration.ofSeconds(20);
    public static final Duration DEFAULT_DRAIN_GRACE = Duration.ofSeconds(30);
    public static final Duration DEFAULT_RPC_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_REPORT_ATTEMPTS = 10;

    public WorkerOptions {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a worker needs a name");
        }
        if (slots < 1) {
            throw new IllegalArgumentException("a worker needs at least one slot: " + slots);
        }
        labels = Map.copyOf(Objects.requireNonNull(labels, "labels"));
        coordinators = List.copyOf(Objects.requireNonNull(coordinators, "coordinators"));
        if (coordinators.isEmpty()) {
            throw new IllegalArgumentException("at least one coordinator address is needed");
        }
        coordinators.forEach(WorkerOptions::checkAddress);
        requireNotNegative(pollWait, "poll wait");
        Objects.requireNonNull(reconnectBackoff, "reconnectBackoff");
        requireNotNegative(drainGrace, "drain grace");
        Objects.requireNonNull(workspaceRoot, "workspaceRoot");
        requireNotNegative(rpcTimeout, "rpc timeout");
        if (rpcTimeout.isZero()) {
            throw new IllegalArgumentException("rpc timeout must be positive");
        }
        if (reportAttempts < 1) {
            throw new IllegalArgumentException("report attempts must be >= 1: " + reportAttempts);
        }
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(git, "git");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The defaults, with the coordinators taken from {@code PHASEGRID_COORDINATOR}. */
    public static WorkerOptions defaults() {
        return builder().build();
    }

    /**
     * The coordinator addresses named by an environment: {@code PHASEGRID_COORDINATOR} split on commas, else
     * {@value #DEFAULT_COORDINATOR}.
     */
    static List<String> coordinatorsFrom(Map<String, String> environment) {
        String value = environment.get(COORDINATOR_ENV);
        if (value == null || value.isBlank()) {
            return List.of(DEFAULT_COORDINATOR);
        }
        List<String> addresses = Arrays.stream(value.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
        return addresses.isEmpty() ? List.of(DEFAULT_COORDINATOR) : addresses;
    }

    static String defaultName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "worker";
        }
        return host + "-" + ProcessHandle.current().pid();
    }

    private static void checkAddress(String address) {
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            throw new IllegalArgumentException("a coordinator address is host:port: '" + address + "'");
        }
        try {
            int port = Integer.parseInt(address.substring(colon + 1));
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port out of range in '" + address + "'");
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a coordinator address is host:port: '" + address + "'", e);
        }
    }

    private static void requireNotNegative(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative: " + d);
        }
    }

    /** Builder of {@link WorkerOptions}; unset values get their defaults at {@link #build()}. */
    public static final class Builder {
        private String name;
        private int slots = DEFAULT_SLOTS;
        private Map<String, String> labels = Map.of();
        private List<String> coordinators;
        private Duration pollWait = DEFAULT_POLL_WAIT;
        private Backoff reconnectBackoff = Backoff.DEFAULT;
        private Duration drainGrace = DEFAULT_DRAIN_GRACE;
        private Path workspaceRoot;
        private Duration rpcTimeout = DEFAULT_RPC_TIMEOUT;
        private int reportAttempts = DEFAULT_REPORT_ATTEMPTS;
        private WorkerMetrics metrics;
        private GitOptions git = GitOptions.none();

        private Builder() {
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder slots(int slots) {
            this.slots = slots;
            return this;
        }

        public Builder labels(Map<String, String> labels) {
            this.labels = labels;
            return this;
        }

        /** Coordinator addresses ({@code host:port}), tried in order. */
        public Builder coordinators(List<String> addresses) {
            this.coordinators = addresses;
            return this;
        }

        public Builder coordinators(String... addresses) {
            return coordinators(List.of(addresses));
        }

        public Builder pollWait(Duration pollWait) {
            this.pollWait = pollWait;
            return this;
        }

        public Builder reconnectBackoff(Backoff backoff) {
            this.reconnectBackoff = backoff;
            return this;
        }

        public Builder drainGrace(Duration grace) {
            this.drainGrace = grace;
            return this;
        }

        public Builder workspaceRoot(Path root) {
            this.workspaceRoot = root;
            return this;
        }

        public Builder rpcTimeout(Duration timeout) {
            this.rpcTimeout = timeout;
            return this;
        }

        public Builder reportAttempts(int attempts) {
            this.reportAttempts = attempts;
            return this;
        }

        /** Where the agent records its metrics (one agent per {@link WorkerMetrics}: it binds the slot gauges). */
        public Builder metrics(WorkerMetrics metrics) {
            this.metrics = metrics;
            return this;
        }

        /** How git leases are handled (default {@link GitOptions#none()}). */
        public Builder git(GitOptions git) {
            this.git = git;
            return this;
        }

        public WorkerOptions build() {
            return new WorkerOptions(
                    name != null ? name : defaultName(),
                    slots,
                    labels,
                    coordinators != null ? coordinators : coordinatorsFrom(System.getenv()),
                    pollWait,
                    reconnectBackoff,
                    drainGrace,
                    workspaceRoot != null ? workspaceRoot
                            : Path.of(System.getProperty("java.io.tmpdir"), "phasegrid", "workspaces"),
                    rpcTimeout,
                    reportAttempts,
                    metrics != null ? metrics : WorkerMetrics.disabled(),
                    git);
        }
    }
}
