package io.phasegrid.cli.offline;

import io.phasegrid.common.settings.Schedule;
import picocli.CommandLine;

/** {@code eager|waves}, case-insensitive. */
public final class ScheduleConverter implements CommandLine.ITypeConverter<Schedule> {

    @Override
    public Schedule convert(String value) {
        return Schedule.parse(value).orElseThrow(() ->
                new CommandLine.TypeConversionException("expected eager or waves, found '" + value + "'"));
    }
}
