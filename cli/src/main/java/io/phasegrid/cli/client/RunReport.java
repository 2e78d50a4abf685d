package io.phasegrid.cli.client;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.phasegrid.cli.ExitCodes;
import io.phasegrid.cli.json.Json;
import io.phasegrid.proto.v1.PhaseState;
import io.phasegrid.proto.v1.Run;
import io.phasegrid.proto.v1.RunPhase;
import io.phasegrid.proto.v1.RunState;
import java.io.PrintWriter;
import java.util.Locale;

/** A run for people (summary table) and scripts ({@code --json}), and the exit code it means. */
public final class RunReport {

    private RunReport() {
    }

    /** 0 succeeded (or still active), 1 failed or cancelled, 3 paused on budget. */
    public static int exitCode(Run run) {
        return switch (run.getState()) {
            case RUN_FAILED, RUN_CANCELLED -> ExitCodes.NEGATIVE;
            case RUN_PAUSED -> ExitCodes.PAUSED;
            default -> ExitCodes.OK;
        };
    }

    public static String stateName(RunState state) {
        return state.name().replaceFirst("^RUN_", "");
    }

    public static String stateName(PhaseState state) {
        return state.name().replaceFirst("^PHASE_", "");
    }

    /** Wall time from the first lease to the end (or to now while active); 0 before the first lease. */
    public static long makespanMs(Run run, long nowMs) {
        if (run.getStartedAtMs() == 0) {
            return 0;
        }
        long end = run.getFinishedAtMs() > 0 ? run.getFinishedAtMs() : nowMs;
        return Math.max(0, end - run.getStartedAtMs());
    }

    static long tokensUsed(Run run) {
        return run.getPhasesList().stream().mapToLong(RunPhase::getTokens).sum();
    }

    public static ObjectNode json(Run run, long nowMs) {
        ObjectNode root = Json.object();
        root.put("runId", run.getRunId());
        root.put("name", run.getName());
        root.put("owner", run.getOwner());
        root.put("state", stateName(run.getState()));
        if (!run.getPauseReason().isEmpty()) {
            root.put("pauseReason", run.getPauseReason());
        }
        ArrayNode phases = root.putArray("phases");
        for (RunPhase p : run.getPhasesList()) {
            ObjectNode node = phases.addObject();
            node.put("key", p.getKey());
            node.put("state", stateName(p.getState()));
            node.put("attempts", p.getAttempts());
            node.put("requeues", p.getRequeues());
            node.put("worker", p.getWorker());
            node.put("startedAt", p.getStartedAtMs());
            node.put("finishedAt", p.getFinishedAtMs());
            node.put("tokens", p.getTokens());
            if (!p.getReason().isEmpty()) {
                node.put("reason", p.getReason());
            }
            GitReport.addTo(node, p);
        }
        root.put("makespanMs", makespanMs(run, nowMs));
        root.put("maxParallelism", run.getMaxParallelism());
        root.put("fallbacks", run.getFallbacks());
        ObjectNode tokens = root.putObject("tokens");
        tokens.put("budget", run.getTokens().getBudget());
        tokens.put("reserved", run.getTokens().getReserved());
        tokens.put("used", tokensUsed(run));
        GitReport.addTo(root, run);
        return root;
    }

    public static void printSummary(PrintWriter out, Run run, long nowMs) {
        int keyWidth = Math.max(5, run.getPhasesList().stream().mapToInt(p -> p.getKey().length()).max().orElse(5));
        String format = "%-" + keyWidth + "s  %-10s  %8s  %-20s  %10s  %9s  %s%n";
        out.printf(format, "PHASE", "STATE", "ATTEMPTS", "WORKER", "DURATION", "TOKENS", "REASON");
        for (RunPhase p : run.getPhasesList()) {
            long duration = p.getStartedAtMs() > 0 && p.getFinishedAtMs() >= p.getStartedAtMs()
                    ? p.getFinishedAtMs() - p.getStartedAtMs() : 0;
            out.printf(format, p.getKey(), stateName(p.getState()), p.getAttempts(),
                    p.getWorker().isEmpty() ? "-" : p.getWorker(), duration == 0 ? "-" : seconds(duration),
                    p.getTokens(), p.getReason());
        }
        out.printf(Locale.ROOT, "Run %s %s: makespan %s, max parallelism %d, fallbacks %d, tokens used %,d%s%n",
                run.getRunId(), stateName(run.getState()), seconds(makespanMs(run, nowMs)), run.getMaxParallelism(),
                run.getFallbacks(), tokensUsed(run),
                run.getTokens().getBudget() > 0 ? " of a " + String.format(Locale.ROOT, "%,d", run.getTokens().getBudget())
                        + " budget" : "");
        if (!run.getPauseReason().isEmpty()) {
            out.println("Paused: " + run.getPauseReason() + " (top up the ledger: phasegrid ledger --top-up N)");
        }
        GitReport.print(out, run);
    }

    static String seconds(long ms) {
        return String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
    }
}
