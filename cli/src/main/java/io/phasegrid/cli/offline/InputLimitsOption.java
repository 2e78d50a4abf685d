package io.phasegrid.cli.offline;

import io.phasegrid.common.parse.LoadLimits;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code --max-roadmap-bytes}: raise the ROADMAP.md size limit for trusted, very large (generated) roadmaps. */
public final class InputLimitsOption {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    private Long maxRoadmapBytes;

    @Option(names = "--max-roadmap-bytes", paramLabel = "BYTES",
            description = "Largest ROADMAP.md read (default 16 MiB; larger input is rejected with exit 2).")
    void setMaxRoadmapBytes(long bytes) {
        if (bytes < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--max-roadmap-bytes: expected a positive number of bytes, found " + bytes);
        }
        maxRoadmapBytes = bytes;
    }

    LoadLimits limits() {
        LoadLimits defaults = LoadLimits.defaults();
        return maxRoadmapBytes == null
                ? defaults
                : new LoadLimits(maxRoadmapBytes, defaults.maxPlanFileBytes(), defaults.maxFiles());
    }
}
