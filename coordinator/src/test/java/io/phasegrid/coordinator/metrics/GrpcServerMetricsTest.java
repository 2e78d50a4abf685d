package io.phasegrid.coordinator.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.StreamObserver;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.grpc.Context;
import java.time.Duration;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GrpcServerMetricsTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private Server server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        String name = "grpc-metrics-" + UUID.randomUUID();
        HealthStatusManager health = new HealthStatusManager();
        server = InProcessServerBuilder.forName(name).directExecutor()
                .addService(health.getHealthService())
                .intercept(new GrpcServerMetrics(registry))
                .build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    }

    @AfterEach
    void stop() {
        channel.shutdownNow();
        server.shutdownNow();
    }

    @Test
    void finishedCallsAreCountedByFullMethodNameAndStatusCode() {
        HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel);

        health.check(HealthCheckRequest.newBuilder().build());
        health.check(HealthCheckRequest.newBuilder().build());
        assertThatThrownBy(() -> health.check(HealthCheckRequest.newBuilder().setService("nope").build()))
                .isInstanceOf(StatusRuntimeException.class);

        assertThat(registry.scrape()).contains(
                "phasegrid_grpc_server_calls_total{code=\"OK\",method=\"grpc.health.v1.Health/Check\"} 2.0",
                "phasegrid_grpc_server_calls_total{code=\"NOT_FOUND\",method=\"grpc.health.v1.Health/Check\"} 1.0",
                "phasegrid_grpc_server_call_duration_seconds_count{method=\"grpc.health.v1.Health/Check\"} 3");
    }

    @Test
    void aStreamTheClientCancelsCountsAsCancelled() {
        Context.CancellableContext context = Context.current().withCancellation();
        context.run(() -> HealthGrpc.newStub(channel).watch(HealthCheckRequest.newBuilder().build(), new Ignore()));

        context.cancel(null);

        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(registry.scrape()).contains(
                "phasegrid_grpc_server_calls_total{code=\"CANCELLED\",method=\"grpc.health.v1.Health/Watch\"} 1.0"));
    }

    private static final class Ignore implements StreamObserver<HealthCheckResponse> {
        @Override
        public void onNext(HealthCheckResponse value) {
        }

        @Override
        public void onError(Throwable t) {
        }

        @Override
        public void onCompleted() {
        }
    }
}
