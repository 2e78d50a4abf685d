package io.phasegrid.cli.offline;

import io.phasegrid.common.parse.LoadLimits;
import picocli.CommandLine.Option;

/** {@code --max-roadmap-bytes}: raise the ROADMAP.md size limit for trusted, very large (generated) roadmaps. */
public final class InputLimitsOption {

    @Option(names = "--max-roadmap-bytes", paramLabel = "BYTES",
            description = "Largest ROADMAP.md read (default 16 MiB; larger input is rejected with exit 2).")
    Long maxRoadmapBytes;

    LoadLimits limits() {
        LoadLimits defaults = LoadLimits.defaults();
        return maxRoadmapBytes == null
                ? defaults
                : new LoadLimits(Math.max(1, maxRoadmapBytes), defaults.maxPlanFileBytes(), defaults.maxFiles());
    }
}
