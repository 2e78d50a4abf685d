package io.phasegrid.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.phasegrid.coordinator.submit.SubmissionLimits;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.TypeConversionException;

class RetainedBytesConverterTest {

    private final RetainedBytesConverter converter = new RetainedBytesConverter();

    @Test
    void acceptsAPercentageOfTheHeapOrAPositiveSize() {
        assertThat(converter.convert("10%")).isEqualTo(Runtime.getRuntime().maxMemory() / 100 * 10);
        assertThat(converter.convert("1000000")).isEqualTo(1_000_000L);
        assertThat(converter.convert("64k")).isEqualTo(64L << 10);
        assertThat(converter.convert("512M")).isEqualTo(512L << 20);
        assertThat(converter.convert("2g")).isEqualTo(2L << 30);
    }

    @Test
    void rejectsAnythingElseSayingWhatWasExpected() {
        for (String bad : new String[] {"", "0", "-1m", "0%", "101%", "1.5g", "2t", "x".repeat(500),
            "99999999999999g"}) {
            assertThatThrownBy(() -> converter.convert(bad)).as(bad)
                    .isInstanceOf(TypeConversionException.class).hasMessageContaining("512m or 2g")
                    .hasMessageNotContaining("x".repeat(41));
        }
    }

    @Test
    void theCoordinatorCapsRetainedSubmissionsAtAQuarterOfItsHeapByDefault() {
        CoordinatorCommand command = new CoordinatorCommand();
        new CommandLine(command).parseArgs();
        assertThat(command.maxRetainedBytes).isEqualTo(SubmissionLimits.defaultRetainedBytes());
        new CommandLine(command).parseArgs("--max-retained-bytes", "1g");
        assertThat(command.maxRetainedBytes).isEqualTo(1L << 30);
    }
}
