package io.phasegrid.coordinator.node;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.phasegrid.coordinator.auth.AuthInterceptor;
import io.phasegrid.coordinator.auth.CoordinatorAuth;
import io.phasegrid.coordinator.auth.ServerSecurity;
import io.phasegrid.coordinator.grpc.CoordinatorServer;
import io.phasegrid.coordinator.store.Database;
import io.phasegrid.coordinator.store.DurableMaps;
import io.phasegrid.coordinator.store.StoreHealth;
import io.phasegrid.coordinator.store.StoreSettings;
import io.phasegrid.coordinator.grpc.TokenGrpcService;
import io.phasegrid.coordinator.metrics.AuthMetrics;
import io.phasegrid.coordinator.metrics.StoreMetrics;
import io.phasegrid.coordinator.grpc.LedgerGrpcService;
import io.phasegrid.coordinator.grpc.RunGrpcService;
import io.phasegrid.coordinator.grpc.WorkerGrpcService;
import io.phasegrid.coordinator.grpc.WorkerServiceDefinition;
import io.phasegrid.coordinator.hazelcast.ClusterSettings;
import io.phasegrid.coordinator.hazelcast.MemberConfigFactory;
import io.phasegrid.coordinator.lease.HazelcastWorkerGateway;
import io.phasegrid.coordinator.lease.LeaseSweeper;
import io.phasegrid.coordinator.lease.LeaseTimings;
import io.phasegrid.coordinator.lease.WorkerDirectory;
import io.phasegrid.coordinator.ledger.TokenLedger;
import io.phasegrid.coordinator.service.HazelcastRunCoordinator;
import io.phasegrid.coordinator.submit.SubmissionLimits;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import io.micrometer.core.instrument.MeterRegistry;
import io.phasegrid.coordinator.metrics.CoordinatorMetrics;
import io.phasegrid.coordinator.metrics.GrpcServerMetrics;
import io.phasegrid.coordinator.metrics.HazelcastClusterGauges;
import io.phasegrid.coordinator.metrics.HazelcastMemberMetrics;
import io.phasegrid.coordinator.run.store.RunStore;
import io.phasegrid.coordinator.retention.FinishedRunReleaser;
import io.phasegrid.coordinator.retention.RunJanitor;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One coordinator process: an embedded Hazelcast member, the domain services over it, the lease sweeper and the
 * gRPC server on {@code host:port} (port 0 picks a free one).
 */
public final class CoordinatorNode implements AutoCloseable {

    /**
     * @param cluster how the Hazelcast member joins its cluster
     * @param grpcHost the interface the gRPC server listens on
     * @param grpcPort its port; 0 = a free one
     * @param timings heartbeat interval and lease TTL given to workers and runs
     * @param sweepInterval how often this member expires the leases of the runs it owns and releases the plan
     *     contents of the runs that finished ({@link FinishedRunReleaser})
     * @param limits what a submission may carry, and the cap on retained submission bytes
     * @param runRetention how long a finished run is kept ({@link RunJanitor}); zero keeps runs forever
     * @param security TLS and authentication of the gRPC server ({@link ServerSecurity#NONE}: neither)
     * @param store the database behind the durable maps ({@link DurableMaps}); empty = memory only
     */
    public record Options(ClusterSettings cluster, String grpcHost, int grpcPort, LeaseTimings timings,
            Duration sweepInterval, SubmissionLimits limits, Duration runRetention, ServerSecurity security,
            Optional<StoreSettings> store) {

        public Options {
            Objects.requireNonNull(cluster, "cluster");
            Objects.requireNonNull(grpcHost, "grpcHost");
            Objects.requireNonNull(timings, "timings");
            Objects.requireNonNull(sweepInterval, "sweepInterval");
            Objects.requireNonNull(limits, "limits");
            Objects.requireNonNull(runRetention, "runRetention");
            Objects.requireNonNull(security, "security");
            Objects.requireNonNull(store, "store");
        }

        /** Without TLS or authentication. */
        public Options(ClusterSettings cluster, String grpcHost, int grpcPort, LeaseTimings timings,
                Duration sweepInterval, SubmissionLimits limits, Duration runRetention) {
            this(cluster, grpcHost, grpcPort, timings, sweepInterval, limits, runRetention, ServerSecurity.NONE,
                    Optional.empty());
        }

        /** With the default run retention ({@link RunJanitor#DEFAULT_RETENTION}). */
        public Options(ClusterSettings cluster, String grpcHost, int grpcPort, LeaseTimings timings,
                Duration sweepInterval, SubmissionLimits limits) {
            this(cluster, grpcHost, grpcPort, timings, sweepInterval, limits, RunJanitor.DEFAULT_RETENTION);
        }

        /** Loopback defaults: gRPC on 127.0.0.1:{@code grpcPort}, default timings, a 1 s sweep. */
        public static Options loopback(ClusterSettings cluster, int grpcPort) {
            return new Options(cluster, "127.0.0.1", grpcPort, LeaseTimings.DEFAULT, Duration.ofSeconds(1),
                    SubmissionLimits.defaults());
        }

        public Options withTimings(LeaseTimings newTimings, Duration newSweepInterval) {
            return new Options(cluster, grpcHost, grpcPort, newTimings, newSweepInterval, limits, runRetention,
                    security, store);
        }

        public Options withSecurity(ServerSecurity newSecurity) {
            return new Options(cluster, grpcHost, grpcPort, timings, sweepInterval, limits, runRetention,
                    newSecurity, store);
        }

        public Options withStore(Optional<StoreSettings> newStore) {
            return new Options(cluster, grpcHost, grpcPort, timings, sweepInterval, limits, runRetention, security,
                    newStore);
        }
    }

    private final HazelcastInstance hazelcast;
    private final HazelcastRunCoordinator runs;
    private final HazelcastWorkerGateway gateway;
    private final LeaseSweeper sweeper;
    private final CoordinatorServer server;
    private final WorkerGrpcService workerService;
    private final RunJanitor janitor;
    private final FinishedRunReleaser releaser;
    /** How often each member looks for runs past their retention. */
    private static final Duration JANITOR_INTERVAL = Duration.ofMinutes(1);
    private final CoordinatorMetrics metrics;
    /** The durable store's pool, closed after the member; null without a store. */
    private Database database;

    private CoordinatorNode(HazelcastInstance hazelcast, HazelcastRunCoordinator runs, HazelcastWorkerGateway gateway,
            LeaseSweeper sweeper, CoordinatorServer server, CoordinatorMetrics metrics, WorkerGrpcService workerService,
            RunJanitor janitor, FinishedRunReleaser releaser) {
        this.janitor = janitor;
        this.releaser = releaser;
        this.workerService = workerService;
        this.metrics = metrics;
        this.hazelcast = hazelcast;
        this.runs = runs;
        this.gateway = gateway;
        this.sweeper = sweeper;
        this.server = server;
    }

    public static CoordinatorNode start(Options options) throws IOException {
        return start(options, null);
    }

    /**
     * With a {@code registry}, the node records its metrics there (docs/metrics.md): the PhaseGrid meters, the
     * Hazelcast member's maps and the gRPC calls; the caller serves the registry ({@code MetricsServer}) and
     * refreshes the cluster gauges before each scrape ({@link #metrics()}{@code .refreshGauges()}). Null: none.
     */
    public static CoordinatorNode start(Options options, MeterRegistry registry) throws IOException {
        Clock clock = Clock.systemUTC();
        CoordinatorMetrics metrics = registry == null ? CoordinatorMetrics.disabled()
                : new CoordinatorMetrics(registry);
        Database database = options.store().map(Database::open).orElse(null);
        Config config = MemberConfigFactory.create(options.cluster());
        StoreHealth storeHealth = new StoreHealth();
        if (database != null) {
            DurableMaps.configure(config, database, storeHealth);
        }
        HazelcastInstance hazelcast;
        try {
            hazelcast = Hazelcast.newHazelcastInstance(config);
        } catch (RuntimeException e) {
            if (database != null) {
                database.close();
            }
            throw e;
        }
        HazelcastRunCoordinator runs = null;
        HazelcastWorkerGateway gateway = null;
        LeaseSweeper sweeper = null;
        RunJanitor janitor = null;
        FinishedRunReleaser releaser = null;
        try {
            runs = new HazelcastRunCoordinator(hazelcast, options.limits(), clock, options.timings().leaseTtlMs(),
                    metrics);
            gateway = new HazelcastWorkerGateway(hazelcast, clock, options.timings(), metrics);
            sweeper = new LeaseSweeper(hazelcast, options.sweepInterval(), clock, metrics);
            janitor = new RunJanitor(hazelcast, options.runRetention(), JANITOR_INTERVAL, clock);
            releaser = new FinishedRunReleaser(hazelcast, options.sweepInterval(), clock);
            TokenLedger ledger = new TokenLedger(hazelcast);
            WorkerDirectory directory = new WorkerDirectory(hazelcast, clock, options.timings());
            WorkerGrpcService workerService = new WorkerGrpcService(gateway);
            CoordinatorAuth auth = CoordinatorAuth.install(hazelcast, options.security(), clock,
                    registry == null ? AuthInterceptor.Refusals.NONE : new AuthMetrics(registry));
            NettyServerBuilder builder = NettyServerBuilder
                    .forAddress(new InetSocketAddress(options.grpcHost(), options.grpcPort()),
                            options.security().credentials())
                    .maxInboundMessageSize(options.limits().maxInboundMessageBytes());
            if (registry != null) {
                metrics.bindGauges(new HazelcastClusterGauges(new RunStore(hazelcast), ledger, directory, clock));
                new HazelcastMemberMetrics(hazelcast).bindTo(registry);
                builder.intercept(new GrpcServerMetrics(registry));
            }
            CoordinatorServer server = new CoordinatorServer(builder, List.of(
                    new RunGrpcService(runs),
                    WorkerServiceDefinition.of(workerService, directory),
                    new LedgerGrpcService(ledger, gateway::resumePaused),
                    new TokenGrpcService(auth.admin())), auth.interceptors()).start();
            if (database != null && registry != null) {
                StoreMetrics.bind(registry, storeHealth);
            }
            CoordinatorNode node = new CoordinatorNode(hazelcast, runs, gateway, sweeper, server, metrics,
                    workerService, janitor, releaser);
            node.database = database;
            return node;
        } catch (IOException | RuntimeException e) {
            if (releaser != null) {
                releaser.close();
            }
            if (janitor != null) {
                janitor.close();
            }
            if (sweeper != null) {
                sweeper.close();
            }
            if (gateway != null) {
                gateway.close();
            }
            if (runs != null) {
                runs.close();
            }
            hazelcast.shutdown();
            if (database != null) {
                database.close();
            }
            throw e;
        }
    }

    /** What this node records (a no-op without a registry). */
    public CoordinatorMetrics metrics() {
        return metrics;
    }

    /** Ready to serve: the Hazelcast member is running and the gRPC server is bound. */
    public boolean ready() {
        return hazelcast.getLifecycleService().isRunning() && server.port() != 0;
    }

    /** The gRPC port the server is bound to. */
    public int grpcPort() {
        return server.port();
    }

    /** The Hazelcast member (tests and metrics). */
    public HazelcastInstance hazelcast() {
        return hazelcast;
    }

    /** Stops serving, then leaves the cluster (a graceful shutdown hands partitions over first). */
    @Override
    public void close() throws InterruptedException {
        try {
            // workers go to another member now, not after a graceful-shutdown wait
            server.stop(5, TimeUnit.SECONDS, workerService::endStreams);
            workerService.awaitStreamWork(5, TimeUnit.SECONDS); // late polls hand their leases back first
        } finally {
            releaser.close();
            janitor.close();
            sweeper.close();
            gateway.close();
            runs.close();
            hazelcast.shutdown();
            if (database != null) {
                database.close();
            }
        }
    }
}
