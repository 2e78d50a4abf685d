package io.phasegrid.cli.offline;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.phasegrid.cli.ExitCodes;
import io.phasegrid.cli.InvalidInputException;
import io.phasegrid.cli.Subcommand;
import io.phasegrid.cli.json.Json;
import io.phasegrid.cli.json.JsonTextEditor;
import io.phasegrid.common.parse.RoadmapLoader;
import io.phasegrid.common.settings.RunSettings;
import io.phasegrid.common.settings.RunSettingsResolver;
import io.phasegrid.common.settings.Schedule;
import io.phasegrid.common.settings.Setting;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code phasegrid config PATH}: the effective run settings and where each came from; {@code --set} edits them. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = {"Show the effective settings (max parallel, minimum tokens per phase, fallback to sequential,",
            "schedule) and where each value came from: default, config.json or flag.",
            "--set KEY=VALUE updates .planning/config.json and keeps every other key and the formatting.",
            "KEY is a setting name (max_parallel, min_tokens_per_phase, fallback_to_sequential, schedule)",
            "or a dotted config.json path (workflow.research)."})
public final class ConfigCommand extends Subcommand {

    @Parameters(index = "0", paramLabel = "PATH", description = "A .planning folder or a project root.")
    Path path;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Update config.json (repeatable).")
    List<String> assignments = List.of();

    @Option(names = "--max-parallel", paramLabel = "N", description = "Flag override, as `run` would take it.")
    Integer maxParallel;

    @Option(names = "--min-tokens-per-phase", paramLabel = "TOKENS", description = "Flag override.")
    Long minTokensPerPhase;

    @Option(names = "--fallback-to-sequential", paramLabel = "true|false", arity = "1", description = "Flag override.")
    Boolean fallbackToSequential;

    @Option(names = "--schedule", paramLabel = "eager|waves", description = "Flag override.",
            converter = ScheduleConverter.class)
    Schedule schedule;

    @Option(names = "--json", description = "Print the settings as JSON.")
    boolean json;

    @Override
    public Integer call() {
        RoadmapInput input = new RoadmapInput(path);
        String display = input.displayPlanningFile(RoadmapLoader.CONFIG_FILE);
        if (!assignments.isEmpty()) {
            Path planningDir = input.planningDir().orElseThrow(() -> new InvalidInputException(path
                    + ": expected a .planning folder or a project root containing one (config.json lives there)"));
            applyAssignments(planningDir.resolve(RoadmapLoader.CONFIG_FILE), display);
        }
        print(input.settings(input.readConfig(), flags()), display);
        return ExitCodes.OK;
    }

    private Map<String, Object> flags() {
        Map<String, Object> flags = new LinkedHashMap<>();
        if (maxParallel != null) {
            flags.put(RunSettingsResolver.MAX_PARALLEL,
                    RunSettingsResolver.parseValue(RunSettingsResolver.MAX_PARALLEL, maxParallel.toString()));
        }
        if (minTokensPerPhase != null) {
            flags.put(RunSettingsResolver.MIN_TOKENS_PER_PHASE, minTokensPerPhase);
        }
        if (fallbackToSequential != null) {
            flags.put(RunSettingsResolver.FALLBACK_TO_SEQUENTIAL, fallbackToSequential);
        }
        if (schedule != null) {
            flags.put(RunSettingsResolver.SCHEDULE, schedule);
        }
        return flags;
    }

    private void applyAssignments(Path configFile, String display) {
        String text;
        try {
            text = Files.isRegularFile(configFile) ? Files.readString(configFile, StandardCharsets.UTF_8) : "{}\n";
        } catch (IOException e) {
            throw new InvalidInputException(display + ": cannot read: " + e.getMessage(), e);
        }
        for (String assignment : assignments) {
            int eq = assignment.indexOf('=');
            if (eq <= 0) {
                throw new InvalidInputException("--set " + assignment + ": expected KEY=VALUE");
            }
            String key = assignment.substring(0, eq).strip();
            String value = assignment.substring(eq + 1);
            try {
                text = JsonTextEditor.set(text, configPath(key), valueJson(key, value));
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(display + ": " + e.getMessage(), e);
            }
        }
        try {
            Files.createDirectories(configFile.getParent());
            Files.writeString(configFile, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidInputException(display + ": cannot write: " + e.getMessage(), e);
        }
    }

    private static List<String> configPath(String key) {
        String path = RunSettingsResolver.CONFIG_PATHS.getOrDefault(key, key);
        List<String> segments = Arrays.asList(path.split("\\."));
        if (segments.stream().anyMatch(String::isBlank)) {
            throw new InvalidInputException("--set " + key + ": expected a setting name or a dotted path like a.b");
        }
        return segments;
    }

    /** Known settings are validated and typed; other keys take a JSON literal or else a string. */
    private static String valueJson(String key, String value) {
        if (RunSettingsResolver.CONFIG_PATHS.containsKey(key)) {
            Object typed;
            try {
                typed = RunSettingsResolver.parseValue(key, value);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("--set " + key + "=" + value + ": " + e.getMessage(), e);
            }
            return typed instanceof Schedule s ? "\"" + s.json() + "\"" : typed.toString();
        }
        try {
            Json.mapper().readTree(value);
            return value.strip().isEmpty() ? "\"\"" : value.strip();
        } catch (IOException e) {
            return Json.mapper().getNodeFactory().textNode(value).toString();
        }
    }

    private void print(RunSettings settings, String display) {
        PrintWriter out = out();
        if (json) {
            ObjectNode root = Json.object();
            root.put("config", display);
            ArrayNode list = root.putArray("settings");
            for (Setting<?> s : settings.all()) {
                ObjectNode node = list.addObject();
                node.put("name", s.name());
                node.set("value", Json.mapper().valueToTree(s.value() instanceof Schedule sc ? sc.json() : s.value()));
                node.put("source", s.source().label());
                node.put("configPath", s.configPath());
                if (!s.detail().isEmpty()) {
                    node.put("detail", s.detail());
                }
            }
            out.println(Json.pretty(root));
            return;
        }
        out.println("Settings for " + display + ":");
        for (Setting<?> s : settings.all()) {
            String value = s.value() instanceof Schedule sc ? sc.json() : String.valueOf(s.value());
            String from = switch (s.source()) {
                case DEFAULT -> "default";
                case CONFIG_JSON -> "config.json " + s.configPath() + (s.detail().isEmpty() ? "" : " (" + s.detail() + ")");
                case FLAG -> "flag";
            };
            out.printf("  %-24s %-8s %s%n", s.name(), value, from);
        }
    }
}
