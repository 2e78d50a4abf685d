package io.phasegrid.cli.client;

import static io.phasegrid.proto.v1.Schedule.SCHEDULE_EAGER;
import static io.phasegrid.proto.v1.Schedule.SCHEDULE_WAVES;

import io.phasegrid.cli.InvalidInputException;
import io.phasegrid.cli.offline.AnalysisOptionsMixin;
import io.phasegrid.cli.offline.ScheduleConverter;
import io.phasegrid.common.analysis.AnalysisOptions;
import io.phasegrid.common.settings.Schedule;
import io.phasegrid.proto.v1.RunOptions;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Run options shared by {@code run} and {@code submit}; unset ones come from config.json, then defaults. */
public final class RunOptionsMixin {

    @Option(names = "--max-parallel", paramLabel = "N", description = "Phases of the run at once (default: config.json, else 3).")
    int maxParallel;

    @Option(names = "--budget", paramLabel = "TOKENS", description = "The run's own token budget (default: none).")
    long budget;

    @Option(names = "--schedule", paramLabel = "eager|waves", converter = ScheduleConverter.class,
            description = "eager: a phase starts when its dependencies are done; waves: wave by wave.")
    Schedule schedule;

    @Option(names = "--include-complete", description = "Execute phases the roadmap marks complete.")
    boolean includeComplete;

    @Option(names = "--include-backlog", split = ",", paramLabel = "KEY", description = "Backlog (999.x) phases to execute too.")
    List<String> includeBacklog = List.of();

    @Mixin
    AnalysisOptionsMixin analysis;

    @Option(names = "--min-tokens-per-phase", paramLabel = "TOKENS",
            description = "Tokens that must remain per running phase (default: config.json, else 10000).")
    long minTokensPerPhase;

    /** The analysis the run's phases come from: the same options the coordinator analyses with. */
    public AnalysisOptions analysisOptions() {
        return analysis.analysisOptions();
    }

    /** {@code --include-complete}. */
    public boolean includeComplete() {
        return includeComplete;
    }

    /** {@code --budget}, 0 when unset. */
    public long budgetTokens() {
        return budget;
    }

    public RunOptions toProto() {
        if (maxParallel < 0 || budget < 0 || minTokensPerPhase < 0) {
            throw new InvalidInputException(
                    "--max-parallel, --budget and --min-tokens-per-phase must not be negative");
        }
        RunOptions.Builder options = RunOptions.newBuilder()
                .setMaxParallel(maxParallel)
                .setBudgetTokens(budget)
                .setIncludeComplete(includeComplete)
                .addAllIncludeBacklog(includeBacklog)
                .setNoInfer(!analysis.inferDependencies())
                .setMinTokensPerPhase(minTokensPerPhase);
        if (schedule != null) {
            options.setSchedule(schedule == Schedule.WAVES ? SCHEDULE_WAVES : SCHEDULE_EAGER);
        }
        return options.build();
    }
}
