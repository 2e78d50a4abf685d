package io.phasegrid.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * deploy/prometheus and deploy/grafana stay valid and use only the metric names PhaseGrid exports. The promtool checks
 * are skipped when promtool is not on the PATH (CI installs it: .ci/run).
 */
class DeployFilesTest {

    private static final Path DEPLOY = deployFolder();
    private static final Path PROMETHEUS = DEPLOY.resolve("prometheus");
    private static final Path DASHBOARD = DEPLOY.resolve("grafana/dashboards/phasegrid.json");
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
            String expr = expressions.get(i).replace("$__rate_interval", "1m").replace("'", "''");
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
        assertThat(metricNamesIn(expressions)).contains("phasegrid_phases_running", "jvm_memory_used_bytes", "up")
                .isSubsetOf(knownNames());
    }

    @Test
    void theAlertsUseOnlyExportedMetricNames() throws Exception {
        assertThat(metricNamesIn(alertExpressions())).contains("phasegrid_workers_connected", "up")
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

    // --------------------------------------------------------------------------------------------- helpers

    private static final Pattern STRINGS = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGES = Pattern.compile("\\[[^]]*]");
    private static final Pattern GROUPING = Pattern.compile(
            "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![0-9.\\w])([a-zA-Z_:][a-zA-Z0-9_:]*)\\b(?!\\s*\\()");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without", "on",
            "ignoring", "group_left", "group_right", "inf", "nan", "Inf", "NaN");

    /** Metric names a PromQL expression selects (functions, keywords, labels and durations left out). */
    static Set<String> metricNamesIn(List<String> expressions) {
        Set<String> names = new TreeSet<>();
        for (String expression : expressions) {
            String stripped = STRINGS.matcher(expression).replaceAll(" ");
            stripped = MATCHERS.matcher(stripped).replaceAll(" ");
            stripped = RANGES.matcher(stripped).replaceAll(" ");
            stripped = GROUPING.matcher(stripped).replaceAll(" ");
            Matcher identifier = IDENTIFIER.matcher(stripped);
            while (identifier.find()) {
                if (!KEYWORDS.contains(identifier.group(1))) {
                    names.add(identifier.group(1));
                }
            }
        }
        return names;
    }

    @Test
    void theNameExtractorFindsMetricsAndIgnoresEverythingElse() {
        assertThat(metricNamesIn(List.of(
                "histogram_quantile(0.9, sum by (le) (rate(a_seconds_bucket{job=\"x\",le!=\"1e3\"}[$__rate_interval])))",
                "max(b) == 0 and on() sum(max by (state) (c{state=~\"queued|running\"})) > 1e3 * 30",
                "sum(increase(d_total[10m] offset 5m)) / ignoring(x) group_left e")))
                .containsExactlyInAnyOrder("a_seconds_bucket", "b", "c", "d_total", "e");
    }

    /** PhaseGrid's names plus the JVM and process meters every process binds, and Prometheus's own {@code up}. */
    private static Set<String> knownNames() {
        Set<String> known = new TreeSet<>(MetricNames.scrapedNames());
        try (PrometheusMetrics standard = PrometheusMetrics.create()) {
            known.addAll(MetricNamesTest.seriesIn(standard.registry().scrape()));
        }
        known.add("up");
        return known;
    }

    private static List<String> dashboardExpressions() throws IOException {
        List<String> expressions = new ArrayList<>();
        collectExpressions(JSON.readTree(DASHBOARD.toFile()), expressions);
        return expressions;
    }

    private static void collectExpressions(JsonNode node, List<String> into) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                if (field.getKey().equals("expr") && field.getValue().isTextual()) {
                    into.add(field.getValue().asText());
                } else {
                    collectExpressions(field.getValue(), into);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> collectExpressions(child, into));
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> alertRules() throws IOException {
        Map<String, Object> file = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(PROMETHEUS.resolve("alerts.yml")));
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) file.get("groups")) {
            rules.addAll((List<Map<String, Object>>) group.get("rules"));
        }
        return rules;
    }

    private static List<String> alertExpressions() throws IOException {
        return alertRules().stream().map(rule -> String.valueOf(rule.get("expr"))).toList();
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
        Path promtool = onPath("promtool");
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

    private static Path onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static Path deployFolder() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("deploy/prometheus"))) {
                return dir.resolve("deploy");
            }
        }
        throw new IllegalStateException("no deploy/ folder above " + Path.of("").toAbsolutePath());
    }
}
