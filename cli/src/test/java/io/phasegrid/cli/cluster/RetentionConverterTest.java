package io.phasegrid.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.TypeConversionException;

class RetentionConverterTest {

    private final RetentionConverter converter = new RetentionConverter();

    @Test
    void acceptsZeroAndWholeNumbersWithAUnit() {
        assertThat(converter.convert("0")).isZero();
        assertThat(converter.convert("45s")).isEqualTo(Duration.ofSeconds(45));
        assertThat(converter.convert("30m")).isEqualTo(Duration.ofMinutes(30));
        assertThat(converter.convert("12H")).isEqualTo(Duration.ofHours(12));
        assertThat(converter.convert("7d")).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void rejectsAnythingElseSayingWhatWasExpected() {
        for (String bad : new String[] {"", "d", "7", "-1d", "1.5h", "7w", "PT1H", "200000000000d"}) {
            assertThatThrownBy(() -> converter.convert(bad)).as(bad)
                    .isInstanceOf(TypeConversionException.class).hasMessageContaining("e.g. 7d");
        }
    }

    @Test
    void theCoordinatorKeepsFinishedRunsAWeekByDefault() {
        CoordinatorCommand command = new CoordinatorCommand();
        new CommandLine(command).parseArgs();
        assertThat(command.runRetention).isEqualTo(Duration.ofDays(7));
        new CommandLine(command).parseArgs("--run-retention", "0");
        assertThat(command.runRetention).isZero();
    }
}
