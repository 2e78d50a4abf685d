package io.phasegrid.coordinator.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.phasegrid.coordinator.testing.TestMembers;
import io.phasegrid.proto.v1.CompletePhaseRequest;
import io.phasegrid.proto.v1.HeartbeatRequest;
import io.phasegrid.proto.v1.Lease;
import io.phasegrid.proto.v1.LeaseRef;
import io.phasegrid.proto.v1.Outcome;
import io.phasegrid.proto.v1.PollLeaseRequest;
import io.phasegrid.proto.v1.RegisterWorkerRequest;
import io.phasegrid.proto.v1.RetryPolicy;
import io.phasegrid.proto.v1.RunOptions;
import io.phasegrid.proto.v1.RunServiceGrpc;
import io.phasegrid.proto.v1.StructuredPhase;
import io.phasegrid.proto.v1.StructuredRoadmap;
import io.phasegrid.proto.v1.SubmitRunRequest;
import io.phasegrid.proto.v1.WorkerServiceGrpc;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** A node started with a registry records what happens to phases, leases, runs and calls, as docs/metrics.md says. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CoordinatorNodeMetricsTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private CoordinatorNode node;
    private ManagedChannel channel;

    @BeforeAll
    void start() throws Exception {
        node = CoordinatorNode.start(CoordinatorNode.Options.loopback(TestMembers.privateCluster("node-metrics"), 0),
                registry);
        channel = NettyChannelBuilder.forAddress("127.0.0.1", node.grpcPort()).usePlaintext().build();
    }

    @AfterAll
    void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        node.close();
    }

    private static StructuredPhase phase(String key, String... deps) {
        return StructuredPhase.newBuilder().setKey(key).setName("Phase " + key).setEstimatedTokens(1_000)
                .addAllDependsOn(List.of(deps)).build();
    }

    private static CompletePhaseRequest report(Lease lease, String worker, Outcome outcome, long epoch) {
        return CompletePhaseRequest.newBuilder().setLease(LeaseRef.newBuilder().setRunId(lease.getRunId())
                .setPhaseKey(lease.getPhaseKey()).setEpoch(epoch).setWorkerId(worker))
                .setOutcome(outcome).setTokensUsed(10).setError(outcome == Outcome.OUTCOME_FAILED ? "exit 1" : "")
                .build();
    }

    private double value(String series) {
        node.metrics().refreshGauges();
        return registry.scrape().lines().filter(l -> l.startsWith(series + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst()
                .orElseThrow(() -> new AssertionError("no series " + series + " in\n" + registry.scrape()));
    }

    @Test
    void aRunWithASuccessAFailureAndABlockedDependentShowsUpByOutcomeAndReason() {
        RunServiceGrpc.newBlockingStub(channel).submit(SubmitRunRequest.newBuilder()
                .setStructured(StructuredRoadmap.newBuilder()
                        .addPhases(phase("ok")).addPhases(phase("bad")).addPhases(phase("after", "bad")))
                .setOptions(RunOptions.newBuilder().setNoInfer(true)
                        .setRetry(RetryPolicy.newBuilder().setMaxAttempts(1)))
                .build());
        WorkerServiceGrpc.WorkerServiceBlockingStub workers = WorkerServiceGrpc.newBlockingStub(channel);
        String worker = workers.register(RegisterWorkerRequest.newBuilder().setName("metered").setSlots(4).build())
                .getWorkerId();
        List<Lease> leases = workers.pollLease(PollLeaseRequest.newBuilder().setWorkerId(worker).setFreeSlots(4)
                .setWaitMs(2_000).build()).getLeasesList();
        assertThat(leases).extracting(Lease::getPhaseKey).containsExactlyInAnyOrder("ok", "bad");
        Lease ok = leases.stream().filter(l -> l.getPhaseKey().equals("ok")).findFirst().orElseThrow();
        Lease bad = leases.stream().filter(l -> l.getPhaseKey().equals("bad")).findFirst().orElseThrow();
        workers.heartbeat(HeartbeatRequest.newBuilder().setWorkerId(worker).setSlots(4).setBusySlots(2)
                .addLeases(report(ok, worker, Outcome.OUTCOME_SUCCEEDED, ok.getEpoch()).getLease()).build());

        workers.completePhase(report(ok, worker, Outcome.OUTCOME_SUCCEEDED, ok.getEpoch()));
        assertThatThrownBy(() -> workers.completePhase(report(ok, worker, Outcome.OUTCOME_SUCCEEDED, 99)))
                .isInstanceOf(StatusRuntimeException.class);
        workers.completePhase(report(bad, worker, Outcome.OUTCOME_FAILED, bad.getEpoch()));

        assertThat(value("phasegrid_leases_granted_total")).isEqualTo(2);
        assertThat(value("phasegrid_leases_renewed_total")).isEqualTo(1);
        assertThat(value("phasegrid_leases_stale_refused_total")).isEqualTo(1);
        assertThat(value("phasegrid_phases_finished_total{outcome=\"succeeded\",reason=\"none\"}")).isEqualTo(1);
        assertThat(value("phasegrid_phases_finished_total{outcome=\"failed\",reason=\"execution_error\"}"))
                .isEqualTo(1);
        assertThat(value("phasegrid_phases_finished_total{outcome=\"blocked\",reason=\"blocked\"}")).isEqualTo(1);
        assertThat(value("phasegrid_runs_finished_total{state=\"failed\"}")).isEqualTo(1);
        assertThat(value("phasegrid_phase_duration_seconds_count")).isEqualTo(2);
        assertThat(value("phasegrid_phase_schedule_to_start_seconds_count")).isEqualTo(2);
        assertThat(value("phasegrid_workers_connected")).isEqualTo(1);
        assertThat(value("phasegrid_worker_slots{worker=\"metered\"}")).isEqualTo(4);
        assertThat(value("phasegrid_worker_slots_busy{worker=\"metered\"}")).isEqualTo(2);
        assertThat(value("phasegrid_phases_running")).isZero();
        assertThat(value("phasegrid_tokens_used")).isEqualTo(20);
        assertThat(registry.scrape()).contains("phasegrid_grpc_server_calls_total{code=\"FAILED_PRECONDITION\"")
                .contains("phasegrid_coordinator_members");
    }
}
