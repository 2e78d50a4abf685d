package io.phasegrid.common.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** The files under {@code deploy/} and the PromQL in them, for tests. */
public final class DeployFiles {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern STRINGS = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGES = Pattern.compile("\\[[^]]*]");
    private static final Pattern GROUPING = Pattern.compile(
            "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![0-9.\\w])([a-zA-Z_:][a-zA-Z0-9_:]*)\\b(?!\\s*\\()");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without", "on",
            "ignoring", "group_left", "group_right", "inf", "nan", "Inf", "NaN");

    private DeployFiles() {
    }

    /** The checkout's {@code deploy/} folder, found above the working directory. */
    public static Path folder() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("deploy/prometheus"))) {
                return dir.resolve("deploy");
            }
        }
        throw new IllegalStateException("no deploy/ folder above " + Path.of("").toAbsolutePath());
    }

    public static Path prometheus() {
        return folder().resolve("prometheus");
    }

    public static Path dashboard() {
        return folder().resolve("grafana/dashboards/phasegrid.json");
    }

    /** Every {@code expr} of the Grafana dashboard, as written (with Grafana variables). */
    public static List<String> dashboardExpressions() {
        List<String> expressions = new ArrayList<>();
        try {
            collect(JSON.readTree(dashboard().toFile()), expressions);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return expressions;
    }

    /** Every {@code expr} of {@code alerts.yml}, by alert name. */
    @SuppressWarnings("unchecked")
    public static Map<String, String> alertExpressions() {
        try {
            Map<String, Object> file = (Map<String, Object>) new Load(LoadSettings.builder().build())
                    .loadFromString(Files.readString(prometheus().resolve("alerts.yml")));
            Map<String, String> alerts = new java.util.LinkedHashMap<>();
            for (Map<String, Object> group : (List<Map<String, Object>>) file.get("groups")) {
                for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                    alerts.put(String.valueOf(rule.get("alert")), String.valueOf(rule.get("expr")));
                }
            }
            return alerts;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A dashboard expression as Prometheus can run it: Grafana's interval variable replaced by {@code 1m}. */
    public static String runnable(String expression) {
        return expression.replace("$__rate_interval", "1m");
    }

    /** Metric names an expression selects (functions, keywords, label names and values, durations left out). */
    public static Set<String> metricNamesIn(List<String> expressions) {
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

    /** An executable on the PATH, or null. */
    public static Path onPath(String program) {
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

    private static void collect(JsonNode node, List<String> into) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                if (field.getKey().equals("expr") && field.getValue().isTextual()) {
                    into.add(field.getValue().asText());
                } else {
                    collect(field.getValue(), into);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> collect(child, into));
        }
    }
}
