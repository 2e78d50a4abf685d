package io.phasegrid.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.phasegrid.cli.InvalidInputException;
import io.phasegrid.metrics.MetricsServer;
import io.phasegrid.metrics.PrometheusMetrics;
import io.phasegrid.worker.executor.PhaseOutcome;
import io.phasegrid.worker.metrics.WorkerMetrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --metrics-port}/{@code --metrics-host} as the worker command parses them, and the endpoint they start. */
class MetricsOptionsTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final PrometheusMetrics metrics = PrometheusMetrics.create();

    @AfterEach
    void closeRegistry() {
        metrics.close();
    }

    private static MetricsOptions workerOptions(String... args) {
        WorkerCommand worker = new WorkerCommand();
        new CommandLine(worker).parseArgs(args);
        return worker.metrics;
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void offUnlessAPortIsGivenAndLoopbackByDefault() {
        MetricsOptions off = workerOptions();

        assertThat(off.enabled()).isFalse();
        assertThat(off.port()).isEmpty();
        assertThat(off.host()).isEqualTo("127.0.0.1");
        assertThatThrownBy(() -> off.start(metrics.registry(), () -> true)).isInstanceOf(IllegalStateException.class);

        MetricsOptions on = workerOptions("--metrics-port", "9465", "--metrics-host", "0.0.0.0");

        assertThat(on.enabled()).isTrue();
        assertThat(on.port()).hasValue(9465);
        assertThat(on.host()).isEqualTo("0.0.0.0");
    }

    @Test
    void portZeroServesTheWorkerMetricsAndReadinessOnAFreePort() throws Exception {
        WorkerMetrics worker = new WorkerMetrics(metrics.registry());
        worker.bindSlots(4, () -> 1);
        worker.phaseExecuted(PhaseOutcome.Status.SUCCEEDED, 1_200);
        worker.phaseExecuted(PhaseOutcome.Status.FAILED, 30);
        AtomicBoolean registered = new AtomicBoolean();

        try (MetricsServer server = workerOptions("--metrics-port", "0").start(metrics.registry(), registered::get)) {
            assertThat(server.port()).isPositive();
            assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();

            HttpResponse<String> scrape = get(server.uri("/metrics"));
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.body()).contains(
                    "phasegrid_agent_phases_total{outcome=\"succeeded\"} 1.0",
                    "phasegrid_agent_phases_total{outcome=\"failed\"} 1.0",
                    "phasegrid_agent_slots 4.0",
                    "phasegrid_agent_slots_busy 1.0",
                    "jvm_memory_used_bytes");
            assertThat(get(server.uri("/healthz")).statusCode()).isEqualTo(200);
            assertThat(get(server.uri("/readyz")).statusCode()).as("not registered yet").isEqualTo(503);

            registered.set(true);

            assertThat(get(server.uri("/readyz")).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aPortInUseOrOutOfRangeIsAnInputError() {
        try (MetricsServer taken = workerOptions("--metrics-port", "0").start(metrics.registry(), () -> true)) {
            MetricsOptions same = workerOptions("--metrics-port", String.valueOf(taken.port()));

            assertThatThrownBy(() -> same.start(metrics.registry(), () -> true))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("cannot listen on 127.0.0.1:" + taken.port());
        }
        assertThatThrownBy(() -> workerOptions("--metrics-port", "70000").start(metrics.registry(), () -> true))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("--metrics-port");
    }
}
