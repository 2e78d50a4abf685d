package io.phasegrid.cli.offline;

import io.phasegrid.cli.ExitCodes;
import io.phasegrid.cli.json.Json;
import io.phasegrid.common.analysis.Analysis;
import io.phasegrid.common.analysis.AnalyzedPhase;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code phasegrid analyze PATH}: phases, dependencies, waves, critical path and warnings. */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Show which phases can run in parallel: dependencies, waves, critical path, warnings.")
public final class AnalyzeCommand extends RoadmapCommand {

    @Parameters(index = "0", paramLabel = "PATH", description = "A ROADMAP.md file, a .planning folder or a project root.")
    Path path;

    @Option(names = "--json", description = "Print the analysis as JSON (schema phasegrid.analysis/v1).")
    boolean json;

    @Option(names = "--pending", description = "Only phases that are not complete.")
    boolean pending;

    @Override
    public Integer call() {
        RoadmapInput input = input(path);
        Analysis analysis = input.analyze(analysisOptions.analysisOptions().withPendingOnly(pending));
        PrintWriter out = out();
        Predicate<AnalyzedPhase> shown = p -> !pending || !p.phase().isComplete();
        if (json) {
            out.println(Json.pretty(AnalysisJson.of(analysis, path.toString(), shown)));
            if (analysis.hasErrors()) {
                PrintWriter err = err();
                input.renderAll(analysis.errors()).forEach(err::println);
                return ExitCodes.INVALID_INPUT;
            }
            return ExitCodes.OK;
        }
        input.requireNoErrors(analysis);
        new AnalysisReport(input, analysis, shown).print(out);
        return ExitCodes.OK;
    }
}
