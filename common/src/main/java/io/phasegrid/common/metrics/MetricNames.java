package io.phasegrid.common.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every PhaseGrid meter name, tag name and tag value (docs/metrics.md). Names are Micrometer's dotted form; Prometheus
 * scrapes them with dots as underscores plus a suffix by type ({@link #scrapedNames()}): counters {@code _total},
 * timers {@code _seconds_bucket|_count|_sum|_max}, time gauges {@code _seconds}. {@code deploy/} uses the scraped
 * forms only, and DeployFilesTest checks that it uses nothing else.
 *
 * <p>Cardinality rule: no run id, phase key or lease epoch is ever a tag. {@link Tag#WORKER} appears only on the two
 * per-worker slot gauges.
 */
public final class MetricNames {

    /** How a meter is exposed to Prometheus. */
    public enum Kind {
        /** {@code name_total}. */
        COUNTER,
        /** {@code name}. */
        GAUGE,
        /** A gauge of a duration: {@code name_seconds}. */
        TIME_GAUGE,
        /** A gauge in bytes: {@code name_bytes}. */
        BYTES_GAUGE,
        /** A histogram timer: {@code name_seconds_bucket}, {@code _count}, {@code _sum}, plus {@code name_seconds_max}. */
        HISTOGRAM_TIMER,
        /** A timer without buckets (a Prometheus summary): {@code name_seconds_count}, {@code _sum}, {@code _max}. */
        TIMER,
        /** A histogram of plain numbers: {@code name_bucket}, {@code _count}, {@code _sum}, plus {@code name_max}. */
        HISTOGRAM
    }

    // -- coordinator: phases (counters and histograms are per member: sum() them; gauges are cluster-wide: max() them)

    /** Gauge: phases LEASED or RUNNING across all runs (the cluster's parallelism). */
    public static final String PHASES_RUNNING = "phasegrid.phases.running";
    /** Counter {outcome, reason}: phases that reached a final state. */
    public static final String PHASES_FINISHED = "phasegrid.phases.finished";
    /** Counter {reason}: attempts that ended without a final state and put the phase back to READY. */
    public static final String PHASES_REQUEUED = "phasegrid.phases.requeued";
    /** Histogram timer: how long an attempt ran, lease to report. */
    public static final String PHASE_DURATION = "phasegrid.phase.duration";
    /** Histogram timer: READY to leased (schedule-to-start latency). */
    public static final String PHASE_SCHEDULE_TO_START = "phasegrid.phase.schedule.to.start";
    /** Gauge: READY phases waiting for a slot, the budget or a backoff. */
    public static final String READY_QUEUE_DEPTH = "phasegrid.ready.queue.depth";
    /** Time gauge: how long the oldest READY phase has waited; 0 when none. */
    public static final String READY_OLDEST_AGE = "phasegrid.ready.oldest.age";

    // -- coordinator: runs

    /** Gauge {state}: runs in the cluster by state (every state always present). */
    public static final String RUNS = "phasegrid.runs";
    /** Counter {state}: runs that finished. */
    public static final String RUNS_FINISHED = "phasegrid.runs.finished";
    /** Histogram: the highest number of phases a run had in flight at once, recorded when it finishes. */
    public static final String RUN_MAX_PARALLELISM = "phasegrid.run.max.parallelism";
    /** Counter: a run fell back to one phase at a time because the budget could not carry its parallel group. */
    public static final String SEQUENTIAL_FALLBACKS = "phasegrid.sequential.fallbacks";
    /** Counter: a run was PAUSED with reason token_budget. */
    public static final String BUDGET_PAUSES = "phasegrid.budget.pauses";

    // -- coordinator: leases

    public static final String LEASES_GRANTED = "phasegrid.leases.granted";
    public static final String LEASES_RENEWED = "phasegrid.leases.renewed";
    /** Counter: leases whose deadline passed (worker lost or partitioned). */
    public static final String LEASES_EXPIRED = "phasegrid.leases.expired";
    /** Counter: reports refused because they named a stale epoch, a closed lease or another worker. */
    public static final String LEASES_STALE_REFUSED = "phasegrid.leases.stale.refused";

    // -- coordinator: token ledger (cluster-wide gauges)

    public static final String TOKENS_BUDGET = "phasegrid.tokens.budget";
    public static final String TOKENS_RESERVED = "phasegrid.tokens.reserved";
    public static final String TOKENS_USED = "phasegrid.tokens.used";
    /** Gauge: budget - reserved - used (never negative); NaN while the budget is unlimited. */
    public static final String TOKENS_REMAINING = "phasegrid.tokens.remaining";

    // -- coordinator: workers as the cluster sees them (cluster-wide gauges)

    public static final String WORKERS_CONNECTED = "phasegrid.workers.connected";
    /** Gauge {worker}: slots a connected worker offers. */
    public static final String WORKER_SLOTS = "phasegrid.worker.slots";
    /** Gauge {worker}: slots of that worker holding a lease. */
    public static final String WORKER_SLOTS_BUSY = "phasegrid.worker.slots.busy";

    // -- coordinator: Hazelcast member (per member)

    /** Gauge: members in this coordinator's Hazelcast cluster, as this member sees it. */
    public static final String COORDINATOR_MEMBERS = "phasegrid.coordinator.members";
    /** Gauge {map, ownership}: entries of a map held by this member. */
    public static final String MAP_ENTRIES = "phasegrid.map.entries";
    /** Bytes gauge {map}: memory cost of the entries this member owns. */
    public static final String MAP_MEMORY = "phasegrid.map.memory";
    /** Counter {map, operation}: map operations served by this member. */
    public static final String MAP_OPERATIONS = "phasegrid.map.operations";

    // -- coordinator: gRPC server (per member)

    /** Counter {method, code}: finished server calls. */
    public static final String GRPC_SERVER_CALLS = "phasegrid.grpc.server.calls";
    /** Timer {method}: server call duration, start to close (streams: their whole life). */
    public static final String GRPC_SERVER_CALL_DURATION = "phasegrid.grpc.server.call.duration";

    /** Counter {method, principal, code}: calls refused before any handler, UNAUTHENTICATED or PERMISSION_DENIED. */
    public static final String AUTH_REFUSALS = "phasegrid.auth.refusals";

    /** Gauge: 1 while this member's durable store (the database) answers, 0 while it is away. */
    public static final String STORE_AVAILABLE = "phasegrid.store.available";
    /** Counter: durable store operations that failed on this member (each failed the map operation behind it). */
    public static final String STORE_FAILURES = "phasegrid.store.failures";

    // -- worker process (per worker process; the Prometheus instance label says which)

    public static final String AGENT_SLOTS = "phasegrid.agent.slots";
    public static final String AGENT_SLOTS_BUSY = "phasegrid.agent.slots.busy";
    /** Counter {outcome}: attempts this worker executed. */
    public static final String AGENT_PHASES = "phasegrid.agent.phases";
    /** Histogram timer: how long this worker's attempts ran. */
    public static final String AGENT_PHASE_DURATION = "phasegrid.agent.phase.duration";
    /** Counter: connections to a coordinator re-established after a loss. */
    public static final String AGENT_RECONNECTS = "phasegrid.agent.reconnects";

    /** Tag names. */
    public static final class Tag {
        public static final String OUTCOME = "outcome";
        public static final String REASON = "reason";
        public static final String STATE = "state";
        /** Only on {@link #WORKER_SLOTS} and {@link #WORKER_SLOTS_BUSY}. */
        public static final String WORKER = "worker";
        public static final String METHOD = "method";
        public static final String CODE = "code";
        public static final String MAP = "map";
        public static final String OWNERSHIP = "ownership";
        public static final String OPERATION = "operation";
        /** The token name of a refused call ({@code anonymous} without a known token). */
        public static final String PRINCIPAL = "principal";

        private Tag() {
        }
    }

    /** Values of {@link Tag#OUTCOME} on {@link #PHASES_FINISHED}: the final phase states, lower case. */
    public static final class Outcome {
        public static final String SUCCEEDED = "succeeded";
        public static final String FAILED = "failed";
        public static final String BLOCKED = "blocked";
        public static final String SKIPPED = "skipped";
        public static final String CANCELLED = "cancelled";
        /** On {@link #AGENT_PHASES}: stopped on request (cancel, lost lease, shutdown). */
        public static final String ABANDONED = "abandoned";
        /** Anything not listed here, so a wrong value cannot add series. */
        public static final String OTHER = "other";

        public static final Set<String> FINAL = Set.of(SUCCEEDED, FAILED, BLOCKED, SKIPPED, CANCELLED);

        private Outcome() {
        }
    }

    /** Values of {@link Tag#REASON}. */
    public static final class Reason {
        /** Succeeded or skipped. */
        public static final String NONE = "none";
        /** The executor reported a failure (non-zero exit, timeout, executor error). */
        public static final String EXECUTION_ERROR = "execution_error";
        /** The lease expired: the worker died, hung or was cut off. */
        public static final String LEASE_EXPIRED = "lease_expired";
        public static final String CANCELLED = "cancelled";
        /** A dependency failed. */
        public static final String BLOCKED = "blocked";
        /** The worker handed the phase back (draining, a poll answer that arrived too late): READY again. */
        public static final String ABANDONED = "abandoned";
        public static final String OTHER = "other";

        public static final Set<String> ALL =
                Set.of(NONE, EXECUTION_ERROR, LEASE_EXPIRED, CANCELLED, BLOCKED, ABANDONED, OTHER);

        private Reason() {
        }
    }

    /** Values of {@link Tag#STATE} on {@link #RUNS} and {@link #RUNS_FINISHED}: run states, lower case. */
    public static final class RunState {
        public static final String QUEUED = "queued";
        public static final String RUNNING = "running";
        public static final String PAUSED = "paused";
        public static final String SUCCEEDED = "succeeded";
        public static final String FAILED = "failed";
        public static final String CANCELLED = "cancelled";
        public static final String OTHER = "other";

        public static final Set<String> ALL = Set.of(QUEUED, RUNNING, PAUSED, SUCCEEDED, FAILED, CANCELLED);

        private RunState() {
        }
    }

    /** Values of {@link Tag#OWNERSHIP} on {@link #MAP_ENTRIES}. */
    public static final class Ownership {
        public static final String OWNED = "owned";
        public static final String BACKUP = "backup";

        private Ownership() {
        }
    }

    private static final Map<String, Kind> KINDS = kinds();

    private MetricNames() {
    }

    private static Map<String, Kind> kinds() {
        Map<String, Kind> kinds = new LinkedHashMap<>();
        kinds.put(PHASES_RUNNING, Kind.GAUGE);
        kinds.put(PHASES_FINISHED, Kind.COUNTER);
        kinds.put(PHASES_REQUEUED, Kind.COUNTER);
        kinds.put(PHASE_DURATION, Kind.HISTOGRAM_TIMER);
        kinds.put(PHASE_SCHEDULE_TO_START, Kind.HISTOGRAM_TIMER);
        kinds.put(READY_QUEUE_DEPTH, Kind.GAUGE);
        kinds.put(READY_OLDEST_AGE, Kind.TIME_GAUGE);
        kinds.put(RUNS, Kind.GAUGE);
        kinds.put(RUNS_FINISHED, Kind.COUNTER);
        kinds.put(RUN_MAX_PARALLELISM, Kind.HISTOGRAM);
        kinds.put(SEQUENTIAL_FALLBACKS, Kind.COUNTER);
        kinds.put(BUDGET_PAUSES, Kind.COUNTER);
        kinds.put(LEASES_GRANTED, Kind.COUNTER);
        kinds.put(LEASES_RENEWED, Kind.COUNTER);
        kinds.put(LEASES_EXPIRED, Kind.COUNTER);
        kinds.put(LEASES_STALE_REFUSED, Kind.COUNTER);
        kinds.put(TOKENS_BUDGET, Kind.GAUGE);
        kinds.put(TOKENS_RESERVED, Kind.GAUGE);
        kinds.put(TOKENS_USED, Kind.GAUGE);
        kinds.put(TOKENS_REMAINING, Kind.GAUGE);
        kinds.put(WORKERS_CONNECTED, Kind.GAUGE);
        kinds.put(WORKER_SLOTS, Kind.GAUGE);
        kinds.put(WORKER_SLOTS_BUSY, Kind.GAUGE);
        kinds.put(COORDINATOR_MEMBERS, Kind.GAUGE);
        kinds.put(MAP_ENTRIES, Kind.GAUGE);
        kinds.put(MAP_MEMORY, Kind.BYTES_GAUGE);
        kinds.put(MAP_OPERATIONS, Kind.COUNTER);
        kinds.put(GRPC_SERVER_CALLS, Kind.COUNTER);
        kinds.put(GRPC_SERVER_CALL_DURATION, Kind.TIMER);
        kinds.put(AUTH_REFUSALS, Kind.COUNTER);
        kinds.put(STORE_AVAILABLE, Kind.GAUGE);
        kinds.put(STORE_FAILURES, Kind.COUNTER);
        kinds.put(AGENT_SLOTS, Kind.GAUGE);
        kinds.put(AGENT_SLOTS_BUSY, Kind.GAUGE);
        kinds.put(AGENT_PHASES, Kind.COUNTER);
        kinds.put(AGENT_PHASE_DURATION, Kind.HISTOGRAM_TIMER);
        kinds.put(AGENT_RECONNECTS, Kind.COUNTER);
        return Map.copyOf(kinds);
    }

    /** Every meter name above (dotted form) with its kind. */
    public static Map<String, Kind> all() {
        return KINDS;
    }

    /** Every series name Prometheus shows for the meters above, e.g. {@code phasegrid_leases_granted_total}. */
    public static Set<String> scrapedNames() {
        Set<String> names = new TreeSet<>();
        KINDS.forEach((name, kind) -> names.addAll(scraped(name, kind)));
        return names;
    }

    /** The series names Prometheus shows for one meter. */
    public static Set<String> scraped(String name, Kind kind) {
        String base = name.replace('.', '_');
        return switch (kind) {
            case COUNTER -> Set.of(base + "_total");
            case GAUGE -> Set.of(base);
            case TIME_GAUGE -> Set.of(base + "_seconds");
            case BYTES_GAUGE -> Set.of(base + "_bytes");
            case HISTOGRAM_TIMER -> histogram(base + "_seconds");
            case TIMER -> Set.of(base + "_seconds_count", base + "_seconds_sum", base + "_seconds_max");
            case HISTOGRAM -> histogram(base);
        };
    }

    private static Set<String> histogram(String base) {
        return Set.of(base + "_bucket", base + "_count", base + "_sum", base + "_max");
    }
}
