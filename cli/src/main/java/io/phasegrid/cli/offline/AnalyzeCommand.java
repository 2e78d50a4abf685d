package io.phasegrid.cli.offline;

import io.phasegrid.cli.DebugOption;
import io.phasegrid.cli.ExitCodes;
import io.phasegrid.cli.json.Json;
import io.phasegrid.common.analysis.Analysis;
import io.phasegrid.common.analysis.AnalyzedPhase;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code phasegrid analyze PATH}: phases, dependencies, waves, critical path and warnings. */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Show which phases can run in parallel: dependencies, waves, critical path, warnings.")
public final class AnalyzeCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "PATH", description = "A ROADMAP.md file, a .planning folder or a project root.")
    Path path;

    @Option(names = "--json", description = "Print the analysis as JSON (schema phasegrid.analysis/v1).")
    boolean json;

    @Option(names = "--pending", description = "Only phases that are not complete.")
    boolean pending;

    @Mixin
    AnalysisOptionsMixin analysisOptions;

    @Mixin
    InputLimitsOption inputLimits;

    @Mixin
    DebugOption debug;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        RoadmapInput input = new RoadmapInput(path, inputLimits.limits());
        Analysis analysis = input.analyze(analysisOptions.analysisOptions().withPendingOnly(pending));
        PrintWriter out = spec.commandLine().getOut();
        Predicate<AnalyzedPhase> shown = p -> !pending || !p.phase().isComplete();
        if (json) {
            out.println(Json.pretty(AnalysisJson.of(analysis, path.toString(), shown)));
            if (analysis.hasErrors()) {
                PrintWriter err = spec.commandLine().getErr();
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
