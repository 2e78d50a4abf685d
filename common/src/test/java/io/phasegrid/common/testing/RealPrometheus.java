package io.phasegrid.common.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A real Prometheus server (the {@code prometheus} binary of the Debian package) on a free loopback port, scraping
 * the given targets every second. Skips the calling test when the binary is not on the PATH.
 */
public final class RealPrometheus implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path log;
    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private RealPrometheus(Process process, Path log, URI base) {
        this.process = process;
        this.log = log;
        this.base = base;
    }

    /** Starts Prometheus in {@code workDir} scraping {@code host:port} targets by job name; waits until it is ready. */
    public static RealPrometheus start(Path workDir, Map<String, String> targetByJob) throws IOException {
        Map<String, List<String>> jobs = new java.util.LinkedHashMap<>();
        targetByJob.forEach((job, target) -> jobs.put(job, List.of(target)));
        return startJobs(workDir, jobs);
    }

    /** As {@link #start}, several targets per job. */
    public static RealPrometheus startJobs(Path workDir, Map<String, List<String>> targetsByJob) throws IOException {
        Path binary = DeployFiles.onPath("prometheus");
        assumeTrue(binary != null, "prometheus is not on the PATH (Debian package prometheus): test skipped");
        StringBuilder config = new StringBuilder("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                + "scrape_configs:\n");
        targetsByJob.forEach((job, targets) -> config.append("  - job_name: ").append(job)
                .append("\n    static_configs:\n      - targets: ['").append(String.join("', '", targets))
                .append("']\n"));
        Path file = workDir.resolve("prometheus.yml");
        Files.writeString(file, config);
        int port = freePort();
        Path log = workDir.resolve("prometheus.log");
        Process process = new ProcessBuilder(binary.toString(), "--config.file=" + file,
                "--storage.tsdb.path=" + workDir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        RealPrometheus prometheus = new RealPrometheus(process, log, URI.create("http://127.0.0.1:" + port));
        try {
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> prometheus.isReady());
        } catch (RuntimeException e) {
            prometheus.close();
            throw new IllegalStateException("prometheus did not start: " + Files.readString(log), e);
        }
        return prometheus;
    }

    /** Runs an instant query; the {@code data} node of a successful answer, else an exception with the error. */
    public JsonNode query(String promQl) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/query?query="
                    + URLEncoder.encode(promQl, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(30)).GET()
                    .build(), HttpResponse.BodyHandlers.ofString());
            JsonNode answer = JSON.readTree(response.body());
            if (!"success".equals(answer.path("status").asText())) {
                throw new IllegalArgumentException(promQl + ": " + answer.path("error").asText(response.body()));
            }
            return answer.get("data");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The samples of an instant query's vector (or one for a scalar). */
    public int resultCount(String promQl) {
        JsonNode data = query(promQl);
        return data.path("resultType").asText().equals("vector") ? data.path("result").size() : 1;
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private boolean isReady() throws InterruptedException {
        if (!process.isAlive()) {
            throw new IllegalStateException("prometheus exited with " + process.exitValue() + ": " + log());
        }
        try {
            return http.send(HttpRequest.newBuilder(base.resolve("/-/ready")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        }
    }

    private static int freePort() {
        return FreePorts.take();
    }
}
