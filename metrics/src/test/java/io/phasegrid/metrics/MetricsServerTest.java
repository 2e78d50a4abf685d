package io.phasegrid.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Counter;
import java.io.IOException;
import java.net.BindException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MetricsServerTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final PrometheusMetrics metrics = PrometheusMetrics.create();

    @AfterEach
    void closeRegistry() {
        metrics.close();
    }

    @Test
    void servesTheRegistryOnLoopbackOnAnEphemeralPort() throws Exception {
        Counter.builder("phasegrid.test.things").register(metrics.registry()).increment(3);
        try (MetricsServer server = MetricsServer.builder(metrics.registry()).start()) {
            assertThat(server.port()).isPositive();
            assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();

            HttpResponse<String> response = get(server.uri("/metrics"), null);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue(MetricsServer.TEXT_004);
            assertThat(response.body())
                    .contains("# TYPE phasegrid_test_things_total counter")
                    .contains("phasegrid_test_things_total 3.0");
        }
    }

    @Test
    void bindsTheStandardJvmAndProcessMeters() throws Exception {
        try (MetricsServer server = MetricsServer.builder(metrics.registry()).start()) {
            String body = get(server.uri("/metrics"), null).body();

            assertThat(body).contains("jvm_memory_used_bytes{", "jvm_gc_", "jvm_threads_live_threads ",
                    "jvm_classes_loaded_classes ", "process_cpu_usage ", "process_uptime_seconds ",
                    "system_cpu_count ", "jvm_info{");
        }
    }

    @Test
    void speaksOpenMetricsWhenPrometheusAsksForIt() throws Exception {
        try (MetricsServer server = MetricsServer.builder(metrics.registry()).start()) {
            HttpResponse<String> response = get(server.uri("/metrics"),
                    "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5");

            assertThat(response.headers().firstValue("Content-Type")).hasValue(MetricsServer.OPENMETRICS_100);
            assertThat(response.body()).endsWith("# EOF\n");
        }
    }

    @Test
    void runsTheRefreshHooksBeforeEveryScrapeAndSurvivesOneThatFails() throws Exception {
        AtomicInteger refreshed = new AtomicInteger();
        try (MetricsServer server = MetricsServer.builder(metrics.registry())
                .beforeScrape(() -> {
                    throw new IllegalStateException("cluster is shutting down");
                })
                .beforeScrape(refreshed::incrementAndGet)
                .start()) {
            assertThat(get(server.uri("/metrics"), null).statusCode()).isEqualTo(200);
            assertThat(get(server.uri("/metrics"), null).statusCode()).isEqualTo(200);

            assertThat(refreshed).hasValue(2);
        }
    }

    @Test
    void healthzIsOkWhileTheProcessIsUpAndReadyzFollowsTheReadinessCheck() throws Exception {
        AtomicBoolean ready = new AtomicBoolean(false);
        try (MetricsServer server = MetricsServer.builder(metrics.registry()).readiness(ready::get).start()) {
            assertThat(get(server.uri("/healthz"), null).statusCode()).isEqualTo(200);
            assertThat(get(server.uri("/readyz"), null).statusCode()).isEqualTo(503);

            ready.set(true);

            assertThat(get(server.uri("/readyz"), null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aReadinessCheckThatThrowsMeansNotReady() throws Exception {
        try (MetricsServer server = MetricsServer.builder(metrics.registry())
                .readiness(() -> {
                    throw new IllegalStateException("not joined yet");
                })
                .start()) {
            assertThat(get(server.uri("/readyz"), null).statusCode()).isEqualTo(503);
        }
    }

    @Test
    void onlyReadsAreAllowedOnMetrics() throws Exception {
        try (MetricsServer server = MetricsServer.builder(metrics.registry()).start()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(server.uri("/metrics"))
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(405);
        }
    }

    @Test
    void aTakenPortIsReportedWhenStarting() throws Exception {
        try (MetricsServer first = MetricsServer.builder(metrics.registry()).start()) {
            assertThatThrownBy(() -> MetricsServer.builder(metrics.registry()).port(first.port()).start())
                    .isInstanceOf(BindException.class);
        }
    }

    @Test
    void closingStopsServing() throws Exception {
        MetricsServer server = MetricsServer.builder(metrics.registry()).start();
        URI uri = server.uri("/healthz");

        server.close();

        assertThatThrownBy(() -> get(uri, null)).isInstanceOf(IOException.class);
    }

    private HttpResponse<String> get(URI uri, String accept) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET();
        if (accept != null) {
            request.header("Accept", accept);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
