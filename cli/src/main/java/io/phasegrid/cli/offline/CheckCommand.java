package io.phasegrid.cli.offline;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.phasegrid.cli.ExitCodes;
import io.phasegrid.cli.InvalidInputException;
import io.phasegrid.cli.json.Json;
import io.phasegrid.common.analysis.Analysis;
import io.phasegrid.common.budget.BudgetCheck;
import io.phasegrid.common.budget.TokenVerdict;
import io.phasegrid.common.graph.ParallelCheck;
import io.phasegrid.common.settings.TokenBudget;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code phasegrid check PATH [PHASE...]}: can these phases run at the same time? Without phases: which phases can
 * run in parallel now, and does the token budget carry them.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"With PHASEs: can they run at the same time, and if not, the dependency path or shared file",
            "that forbids it. Without: the phases ready now, the groups after them, and the token verdict.",
            "Exit 1 when the phases cannot run together or the budget allows sequential execution only."})
public final class CheckCommand extends RoadmapCommand {

    @Parameters(index = "0", paramLabel = "PATH", description = "A ROADMAP.md file, a .planning folder or a project root.")
    Path path;

    @Parameters(index = "1..*", paramLabel = "PHASE", description = "Phase keys or ids (3, 03, 02.1, v2.4/03).")
    List<String> phases = List.of();

    @Option(names = "--budget", paramLabel = "TOKENS",
            description = "Remaining token budget (default: .planning/token_budget.json, if present).")
    Long budget;

    @Option(names = "--json", description = "Print the verdict as JSON.")
    boolean json;

    @Override
    public Integer call() {
        RoadmapInput input = input(path);
        Analysis analysis = input.requireNoErrors(
                input.analyze(analysisOptions.analysisOptions()));
        ParallelCheck check = ParallelCheck.of(analysis);
        Optional<TokenBudget> tokenBudget = BudgetSource.resolve(budget, input);
        long minTokens = input.settings(analysis.roadmap().config(), Map.of()).minTokensPerPhase().value();
        return phases.isEmpty()
                ? readyGroups(analysis, check, tokenBudget, minTokens)
                : namedPhases(analysis, check, tokenBudget, minTokens);
    }

    private int namedPhases(Analysis analysis, ParallelCheck check, Optional<TokenBudget> tokenBudget, long minTokens) {
        List<String> keys = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (String phase : phases) {
            check.resolveKey(phase).ifPresentOrElse(keys::add, () -> unknown.add(phase));
        }
        if (!unknown.isEmpty()) {
            throw new InvalidInputException(path + ": unknown phase " + String.join(", ", unknown)
                    + " (expected a key or id such as " + String.join(", ",
                            analysis.phases().stream().limit(3).map(p -> p.key()).toList()) + ")");
        }
        ParallelCheck.Result result = check.canRunTogether(keys);
        Optional<BudgetCheck.Result> verdict = tokenBudget.map(b -> BudgetCheck.check(b.remaining(), minTokens,
                analysis, keys));
        boolean negative = !result.parallel()
                || verdict.map(v -> v.verdict() != TokenVerdict.CAN_PROCEED).orElse(false);
        PrintWriter out = out();
        if (json) {
            ObjectNode root = Json.object();
            ArrayNode array = root.putArray("phases");
            keys.forEach(array::add);
            root.put("parallel", result.parallel());
            ArrayNode conflicts = root.putArray("conflicts");
            for (ParallelCheck.Conflict c : result.conflicts()) {
                ObjectNode node = conflicts.addObject();
                node.put("first", c.first());
                node.put("second", c.second());
                ArrayNode steps = node.putArray("path");
                for (ParallelCheck.Step step : c.path()) {
                    ObjectNode s = steps.addObject();
                    s.put("dependent", step.dependent());
                    s.put("dependency", step.dependency());
                    s.put("reason", step.reason());
                }
                if (c.sharedFile() != null) {
                    node.put("sharedFile", c.sharedFile());
                }
                node.put("message", c.describe());
            }
            verdict.ifPresent(v -> budgetJson(root, tokenBudget.get(), v));
            out.println(Json.pretty(root));
        } else {
            String list = String.join(", ", keys);
            if (result.parallel()) {
                out.println("Phases " + list + " can run in parallel");
            } else {
                out.println("Phases " + list + " cannot run in parallel:");
                result.conflicts().forEach(c -> out.println("  " + c.describe()));
            }
            verdict.ifPresent(v -> out.println(budgetLine(tokenBudget.get(), v, "these phases")));
        }
        return negative ? ExitCodes.NEGATIVE : ExitCodes.OK;
    }

    private int readyGroups(Analysis analysis, ParallelCheck check, Optional<TokenBudget> tokenBudget, long minTokens) {
        List<List<String>> waves = check.pendingWaves();
        List<String> ready = waves.isEmpty() ? List.of() : waves.get(0);
        Optional<BudgetCheck.Result> verdict = tokenBudget.map(b -> BudgetCheck.check(b.remaining(), minTokens,
                analysis, ready));
        boolean negative = verdict.map(v -> v.verdict() != TokenVerdict.CAN_PROCEED).orElse(false);
        PrintWriter out = out();
        if (json) {
            ObjectNode root = Json.object();
            ArrayNode readyNode = root.putArray("ready");
            ready.forEach(readyNode::add);
            ArrayNode groups = root.putArray("pendingWaves");
            for (List<String> wave : waves) {
                ArrayNode w = groups.addArray();
                wave.forEach(w::add);
            }
            verdict.ifPresent(v -> budgetJson(root, tokenBudget.get(), v));
            out.println(Json.pretty(root));
            return negative ? ExitCodes.NEGATIVE : ExitCodes.OK;
        }
        if (ready.isEmpty()) {
            out.println("Nothing to run: every phase is complete or backlog");
            return ExitCodes.OK;
        }
        out.println(ready.size() == 1
                ? "Ready now: phase " + ready.get(0) + " (runs alone)"
                : "Ready now: phases " + String.join(", ", ready) + " can run in parallel");
        for (int w = 1; w < waves.size(); w++) {
            out.println("Then (group " + (w + 1) + "): " + String.join(", ", waves.get(w)));
        }
        out.println(verdict.map(v -> budgetLine(tokenBudget.get(), v, "parallel group"))
                .orElse("Token budget: not set (use --budget or .planning/token_budget.json)"));
        return negative ? ExitCodes.NEGATIVE : ExitCodes.OK;
    }

    /** The seed's line: {@code Token budget: 150k remaining, need 100k for parallel group -> CAN_PROCEED}. */
    private static String budgetLine(TokenBudget budget, BudgetCheck.Result v, String what) {
        return "Token budget: " + Tokens.format(v.remaining()) + " remaining, need " + Tokens.format(v.groupNeed())
                + " for " + what + " -> " + v.verdict() + " (budget from " + budget.source() + ")";
    }

    private static void budgetJson(ObjectNode root, TokenBudget budget, BudgetCheck.Result v) {
        ObjectNode node = root.putObject("budget");
        node.put("source", budget.source());
        node.put("remaining", v.remaining());
        node.put("groupNeed", v.groupNeed());
        node.put("largestPhaseNeed", v.largestPhaseNeed());
        node.put("verdict", v.verdict().name());
    }
}
