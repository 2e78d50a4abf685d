package io.phasegrid.cli;

import picocli.CommandLine.Option;

/**
 * {@code --log-format human|json} of the process commands ({@code run}, {@code coordinator}, {@code worker}): the
 * format of their logs on stderr; defaults to {@code PHASEGRID_LOG_FORMAT}, then human. Commands call {@link #use()}
 * before they start anything that logs.
 */
public final class LogFormatOption {

    public static final String ENV = "PHASEGRID_LOG_FORMAT";

    @Option(names = "--log-format", paramLabel = "human|json", defaultValue = "${env:" + ENV + ":-human}",
            converter = Converter.class,
            description = {"Logs on stderr: human lines, or json (one object per line; lines about a phase carry",
                "run, phase, attempt, worker and epoch). Default: $" + ENV + ", else human."})
    LogFormat format = LogFormat.HUMAN;

    public LogFormat format() {
        return format;
    }

    /** Switches the process's logs to the chosen format. */
    public void use() {
        format.use();
    }

    public static final class Converter implements picocli.CommandLine.ITypeConverter<LogFormat> {
        @Override
        public LogFormat convert(String value) {
            return LogFormat.parse(value);
        }
    }
}
