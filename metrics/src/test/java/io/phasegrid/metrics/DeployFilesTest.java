package io.phasegrid.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.phasegrid.common.metrics.MetricNames;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.phasegrid.common.testing.DeployFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/prometheus and deploy/grafana stay valid and use only the metric names PhaseGrid exports. The promtool checks
 * are skipped when promtool is not on the PATH (CI installs it: .ci/run).
 */
class DeployFilesTest {

    private static final Path DEPLOY = DeployFiles.folder();
    private static final Path PROMETHEUS = DeployFiles.prometheus();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @Test
    void thePrometheusConfigIsValid() throws Exception {
        assertPromtoolPasses("check", "config", "prometheus.yml");
    }

    @Test
    void theAlertRulesAreValid() throws Exception {
        assertPromtoolPasses("check", "rules", "alerts.yml");
    }

    @Test
    void everyAlertFiresOnItsConditionInTheRuleUnitTests() throws Exception {
        assertPromtoolPasses("test", "rules", "alerts_test.yml");
        assertThat(alertNamesIn(PROMETHEUS.resolve("alerts_test.yml")))
                .as("every alert has a unit test")
                .containsAll(alertNamesIn(PROMETHEUS.resolve("alerts.yml")));
    }

    @Test
    void everyDashboardQueryIsValidPromQl() throws Exception {
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        List<String> expressions = dashboardExpressions();
        for (int i = 0; i < expressions.size(); i++) {
            String expr = DeployFiles.runnable(expressions.get(i)).replace("'", "''");
            rules.append("      - record: dashboard:query_").append(i).append("\n        expr: '").append(expr)
                    .append("'\n");
        }
        Path file = temp.resolve("dashboard-queries.yml");
        Files.writeString(file, rules);

        assertPromtoolPasses("check", "rules", file.toString());
    }

    @Test
    void theDashboardUsesOnlyExportedMetricNames() throws Exception {
        List<String> expressions = dashboardExpressions();

        assertThat(expressions).hasSizeGreaterThan(20);
        assertThat(DeployFiles.metricNamesIn(expressions))
                .contains("phasegrid_phases_running", "jvm_memory_used_bytes", "up")
                .isSubsetOf(knownNames());
    }

    @Test
    void theAlertsUseOnlyExportedMetricNames() throws Exception {
        assertThat(DeployFiles.metricNamesIn(alertExpressions())).contains("phasegrid_workers_connected", "up")
                .isSubsetOf(knownNames());
    }

    @Test
    void theDashboardHasThePanelsOperatorsAskFor() throws Exception {
        String all = String.join("\n", dashboardExpressions());

        assertThat(all).contains(
                "phasegrid_phases_running", "phasegrid_worker_slots_busy", "phasegrid_phases_finished_total",
                "phasegrid_phase_duration_seconds_bucket", "phasegrid_phase_schedule_to_start_seconds_bucket",
                "phasegrid_ready_queue_depth", "phasegrid_ready_oldest_age_seconds", "phasegrid_tokens_remaining",
                "phasegrid_runs");
    }

    @Test
    void theFileDiscoveryExamplesAreTargetGroups() throws Exception {
        try (var files = Files.newDirectoryStream(PROMETHEUS.resolve("targets"), "*.json")) {
            int count = 0;
            for (Path file : files) {
                count++;
                for (JsonNode group : JSON.readTree(file.toFile())) {
                    assertThat(group.get("targets")).as(file.toString()).isNotEmpty()
                            .allSatisfy(target -> assertThat(target.asText()).matches("[A-Za-z0-9.-]+:\\d+"));
                }
            }
            assertThat(count).isPositive();
        }
    }

    @Test
    void docsMetricsMdDescribesEveryMetric() throws Exception {
        String docs = Files.readString(DEPLOY.resolveSibling("docs/metrics.md"));

        MetricNames.all().forEach((name, kind) -> assertThat(docs).contains("`" + documented(name, kind) + "`"));
    }

    private static String documented(String name, MetricNames.Kind kind) {
        String base = name.replace('.', '_');
        return switch (kind) {
            case COUNTER -> base + "_total";
            case GAUGE, HISTOGRAM -> base;
            case TIME_GAUGE, HISTOGRAM_TIMER, TIMER -> base + "_seconds";
            case BYTES_GAUGE -> base + "_bytes";
        };
    }

    @Test
    void theNameExtractorFindsMetricsAndIgnoresEverythingElse() {
        assertThat(DeployFiles.metricNamesIn(List.of(
                "histogram_quantile(0.9, sum by (le) (rate(a_seconds_bucket{job=\"x\",le!=\"1e3\"}[$__rate_interval])))",
                "max(b) == 0 and on() sum(max by (state) (c{state=~\"queued|running\"})) > 1e3 * 30",
                "sum(increase(d_total[10m] offset 5m)) / ignoring(x) group_left e")))
                .containsExactlyInAnyOrder("a_seconds_bucket", "b", "c", "d_total", "e");
    }

    // --------------------------------------------------------------------------------------------- helpers

    /** PhaseGrid's names plus the JVM and process meters every process binds, and Prometheus's own {@code up}. */
    private static Set<String> knownNames() {
        Set<String> known = new TreeSet<>(MetricNames.scrapedNames());
        try (PrometheusMetrics standard = PrometheusMetrics.create()) {
            known.addAll(MetricNamesTest.seriesIn(standard.registry().scrape()));
        }
        known.add("up");
        return known;
    }

    private static List<String> dashboardExpressions() {
        return DeployFiles.dashboardExpressions();
    }

    private static List<String> alertExpressions() {
        return List.copyOf(DeployFiles.alertExpressions().values());
    }

    private static Set<String> alertNamesIn(Path file) throws IOException {
        Set<String> names = new TreeSet<>();
        Matcher matcher = Pattern.compile("(?m)^\\s*-?\\s*(?:alert|alertname): (\\S+)").matcher(Files.readString(file));
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    private void assertPromtoolPasses(String... args) throws Exception {
        Path promtool = DeployFiles.onPath("promtool");
        assumeTrue(promtool != null, "promtool is not on the PATH (Debian package prometheus)");
        List<String> command = new ArrayList<>(List.of(promtool.toString()));
        command.addAll(List.of(args));
        Path output = temp.resolve("promtool-" + System.nanoTime() + ".log");
        Process process = new ProcessBuilder(command).directory(PROMETHEUS.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        try {
            boolean finished = process.waitFor(2, TimeUnit.MINUTES);
            String log = Files.readString(output, StandardCharsets.UTF_8);
            assertThat(finished).as("promtool finished in time: %s", log).isTrue();
            assertThat(process.exitValue()).as("%s%n%s", String.join(" ", command), log).isZero();
        } finally {
            process.destroyForcibly();
        }
    }
}
