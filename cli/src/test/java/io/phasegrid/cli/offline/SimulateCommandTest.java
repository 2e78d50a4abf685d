package io.phasegrid.cli.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.phasegrid.cli.CliRun;
import io.phasegrid.cli.ExitCodes;
import io.phasegrid.cli.json.Json;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * {@code phasegrid simulate} on the invoice-portal example. Estimates (tokens): 01 10k, 02 10k, 03 14k, 04 15.5k,
 * 04.1 11.5k, 05 13k, 06 14.5k, 07 14.5k, 08 12k, 09 13k = 128k; at 1,000 tokens a minute, minutes equal k-tokens.
 */
class SimulateCommandTest {

    private static final String EXAMPLE = CliRun.EXAMPLES.resolve("invoice-portal").toString();

    @Test
    void comparesSequentialWavesDependencyDrivenAndTheLowerBound() throws IOException {
        CliRun run = CliRun.of("simulate", EXAMPLE, "--slots", "3", "--json");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        JsonNode json = Json.mapper().readTree(run.out());
        assertThat(json.get("totalTokens").asLong()).isEqualTo(128_000);
        assertThat(json.get("sequentialMinutes").asDouble()).isCloseTo(128.0, within(1e-9));
        // waves [01,02] [03] [04,05,07] [04.1,08] [06] [09]: 10 + 14 + 15.5 + 12 + 14.5 + 13
        assertThat(json.get("groupsMinutes").asDouble()).isCloseTo(79.0, within(1e-9));
        // critical path 02 03 04 04.1 06 09 = 10 + 14 + 15.5 + 11.5 + 14.5 + 13
        assertThat(json.get("criticalPathMinutes").asDouble()).isCloseTo(78.5, within(1e-9));
        assertThat(json.get("lowerBoundMinutes").asDouble()).isCloseTo(78.5, within(1e-9));
        assertThat(json.get("dependencyDrivenMinutes").asDouble()).isCloseTo(78.5, within(1e-9));
        assertThat(json.get("waveBarrierMinutes").asDouble()).isCloseTo(79.0, within(1e-9));
    }

    @Test
    void explicitGroupsRunOneAfterAnother() throws IOException {
        CliRun run = CliRun.of("simulate", EXAMPLE, "1,2:3:4,5,7:4.1,8:6:9", "--json");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        JsonNode json = Json.mapper().readTree(run.out());
        assertThat(json.get("groupsAreWaves").asBoolean()).isFalse();
        assertThat(json.at("/groups/2").toString()).isEqualTo("[\"04\",\"05\",\"07\"]");
        assertThat(json.get("groupsMinutes").asDouble()).isCloseTo(79.0, within(1e-9));
    }

    @Test
    void oneSlotIsSequential() throws IOException {
        JsonNode json = Json.mapper().readTree(CliRun.of("simulate", EXAMPLE, "--slots", "1", "--json").out());

        assertThat(json.get("dependencyDrivenMinutes").asDouble()).isCloseTo(128.0, within(1e-9));
        assertThat(json.get("lowerBoundMinutes").asDouble()).isCloseTo(128.0, within(1e-9));
    }

    @Test
    void humanOutputShowsEverySchedule() {
        CliRun run = CliRun.of("simulate", EXAMPLE);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).contains("Simulated on 3 slots").contains("Sequential").contains("128.0 min")
                .contains("Wave barriers").contains("Dependency-driven").contains("Lower bound");
    }

    @Test
    void badGroupsAndSlotsAreInvalidInput() {
        assertThat(CliRun.of("simulate", EXAMPLE, "1,,2").exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        CliRun unknown = CliRun.of("simulate", EXAMPLE, "1,2:77");
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(unknown.err()).contains("unknown phase '77'");
        assertThat(CliRun.of("simulate", EXAMPLE, "--slots", "0").exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    }
}
