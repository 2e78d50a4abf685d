package io.phasegrid.cli.offline;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.phasegrid.cli.ExitCodes;
import io.phasegrid.cli.InvalidInputException;
import io.phasegrid.cli.json.Json;
import io.phasegrid.common.analysis.Analysis;
import io.phasegrid.common.graph.ParallelCheck;
import io.phasegrid.common.simulate.DurationModel;
import io.phasegrid.common.simulate.ScheduleSimulator;
import io.phasegrid.common.simulate.Simulation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code phasegrid simulate PATH [GROUPS]}: estimated duration and tokens of running the roadmap sequentially, in the
 * given groups (or the computed waves), with wave barriers, dependency-driven, and the lower bound.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Estimate duration and token use: sequential vs the given GROUPS (default: the computed waves),",
            "wave barriers and dependency-driven scheduling on N slots, and the lower bound",
            "max(critical path, total work / N). Durations are simulated minutes derived from token estimates."})
public final class SimulateCommand extends RoadmapCommand {

    @Parameters(index = "0", paramLabel = "PATH", description = "A ROADMAP.md file, a .planning folder or a project root.")
    Path path;

    @Parameters(index = "1", arity = "0..1", paramLabel = "GROUPS",
            description = "Groups run one after another: 1,2:3,4 means [1,2] then [3,4].")
    String groups;

    @Option(names = "--slots", paramLabel = "N",
            description = "Phases that may run at once (default: max_parallel from config.json, else 3).")
    Integer slots;

    @Option(names = "--tokens-per-minute", paramLabel = "T", defaultValue = "1000",
            description = "Simulated speed: estimated tokens per minute (default ${DEFAULT-VALUE}).")
    long tokensPerMinute;

    @Option(names = "--pending", description = "Only phases that are not complete.")
    boolean pending;

    @Option(names = "--json", description = "Print the simulation as JSON.")
    boolean json;

    @Override
    public Integer call() {
        RoadmapInput input = input(path);
        Analysis analysis = input.requireNoErrors(input.analyze(
                analysisOptions.analysisOptions().withPendingOnly(pending)));
        int effectiveSlots = slots != null
                ? slots
                : input.settings(analysis.roadmap().config(), Map.of()).maxParallel().value();
        if (effectiveSlots < 1) {
            throw new InvalidInputException("--slots " + effectiveSlots + ": expected at least 1");
        }
        if (tokensPerMinute < 1) {
            throw new InvalidInputException("--tokens-per-minute " + tokensPerMinute + ": expected at least 1");
        }
        List<List<String>> explicitGroups = groups == null ? List.of() : parseGroups(groups, ParallelCheck.of(analysis));
        Simulation simulation;
        try {
            simulation = new ScheduleSimulator(new DurationModel(tokensPerMinute))
                    .simulate(analysis, explicitGroups, effectiveSlots);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(path + ": " + e.getMessage(), e);
        }
        PrintWriter out = out();
        if (json) {
            out.println(Json.pretty(json(simulation, explicitGroups.isEmpty())));
        } else {
            print(out, simulation, explicitGroups.isEmpty());
        }
        return ExitCodes.OK;
    }

    /** {@code 1,2:3,4} -> [[01, 02], [03, 04]], each id resolved to its phase key. */
    static List<List<String>> parseGroups(String text, ParallelCheck check) {
        List<List<String>> result = new ArrayList<>();
        for (String group : text.split(":", -1)) {
            List<String> keys = new ArrayList<>();
            for (String id : group.split(",", -1)) {
                if (id.isBlank()) {
                    throw new InvalidInputException("GROUPS '" + text + "': empty phase id (expected e.g. 1,2:3,4)");
                }
                keys.add(check.resolveKey(id.strip()).orElseThrow(() -> new InvalidInputException(
                        "GROUPS '" + text + "': unknown phase '" + id.strip() + "'")));
            }
            result.add(keys);
        }
        return result;
    }

    private static String minutes(double m) {
        return String.format(Locale.ROOT, "%.1f min", m);
    }

    private static String groupsText(List<List<String>> groups) {
        StringBuilder sb = new StringBuilder();
        for (List<String> g : groups) {
            sb.append(sb.length() == 0 ? "" : " ").append('[').append(String.join(",", g)).append(']');
        }
        return sb.length() > 60 ? sb.substring(0, 57) + "..." : sb.toString();
    }

    private void print(PrintWriter out, Simulation s, boolean wavesAsGroups) {
        out.printf(Locale.ROOT, "Simulated on %d slots, %,d tokens = 1 simulated minute; %,d estimated tokens in all%n",
                s.slots(), tokensPerMinute, s.totalTokens());
        out.printf("  %-26s %12s%n", "Sequential", minutes(s.sequentialMinutes()));
        out.printf("  %-26s %12s   %s%n", wavesAsGroups ? "Waves as groups" : "Your groups",
                minutes(s.groupsMinutes()), groupsText(s.groups()));
        out.printf("  %-26s %12s%n", "Wave barriers (" + s.slots() + " slots)", minutes(s.waveBarrierMinutes()));
        out.printf("  %-26s %12s%n", "Dependency-driven (" + s.slots() + " slots)",
                minutes(s.dependencyDrivenMinutes()));
        out.printf("  %-26s %12s   max(critical path %s, work / %d slots %s)%n", "Lower bound",
                minutes(s.lowerBoundMinutes()), minutes(s.criticalPathMinutes()), s.slots(),
                minutes(s.sequentialMinutes() / s.slots()));
        if (s.dependencyDrivenMinutes() > 0) {
            out.printf(Locale.ROOT, "Speed-up: %.2fx over sequential; dependency-driven is %.2fx the lower bound%n",
                    s.sequentialMinutes() / s.dependencyDrivenMinutes(),
                    s.dependencyDrivenMinutes() / s.lowerBoundMinutes());
        }
    }

    private ObjectNode json(Simulation s, boolean wavesAsGroups) {
        ObjectNode root = Json.object();
        root.put("slots", s.slots());
        root.put("tokensPerMinute", tokensPerMinute);
        root.put("totalTokens", s.totalTokens());
        root.put("sequentialMinutes", s.sequentialMinutes());
        ArrayNode groupsNode = root.putArray("groups");
        for (List<String> g : s.groups()) {
            ArrayNode a = groupsNode.addArray();
            g.forEach(a::add);
        }
        root.put("groupsAreWaves", wavesAsGroups);
        root.put("groupTokens", s.groupTokens());
        root.put("groupsMinutes", s.groupsMinutes());
        root.put("waveBarrierMinutes", s.waveBarrierMinutes());
        root.put("dependencyDrivenMinutes", s.dependencyDrivenMinutes());
        root.put("criticalPathMinutes", s.criticalPathMinutes());
        root.put("lowerBoundMinutes", s.lowerBoundMinutes());
        ArrayNode schedule = root.putArray("dependencyDrivenSchedule");
        s.dependencyDrivenSchedule().forEach(p -> {
            ObjectNode n = schedule.addObject();
            n.put("key", p.key());
            n.put("slot", p.slot());
            n.put("startMinute", p.startMinute());
            n.put("endMinute", p.endMinute());
        });
        return root;
    }
}
