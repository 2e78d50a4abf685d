package io.phasegrid.cli.offline;

import io.phasegrid.cli.Subcommand;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;

/** Base of the offline commands that analyse a roadmap: the analysis options and the input limits. */
abstract class RoadmapCommand extends Subcommand {

    @Mixin
    AnalysisOptionsMixin analysisOptions;

    @Mixin
    InputLimitsOption inputLimits;

    /** The roadmap at {@code path}, read within the input limits. */
    RoadmapInput input(Path path) {
        return new RoadmapInput(path, inputLimits.limits());
    }
}
