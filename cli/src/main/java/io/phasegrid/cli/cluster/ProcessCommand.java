package io.phasegrid.cli.cluster;

import io.phasegrid.cli.LogFormatOption;
import io.phasegrid.cli.Subcommand;
import picocli.CommandLine.Mixin;

/** Base of the commands that run cluster processes (coordinator, worker, the embedded run): metrics and log format. */
abstract class ProcessCommand extends Subcommand {

    @Mixin
    MetricsOptions metrics;

    @Mixin
    LogFormatOption logs;
}
