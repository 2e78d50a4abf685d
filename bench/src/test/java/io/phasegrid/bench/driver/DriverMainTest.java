package io.phasegrid.bench.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DriverMainTest {

    @Test
    void optionsAreHandedOverAsNameValuePairsInOrder() {
        Map<String, String> seen = new LinkedHashMap<>();
        DriverMain.options(new String[] {"--slots", "3,8", "--repeats", "2"}, seen::put);
        assertThat(seen).containsExactly(Map.entry("--slots", "3,8"), Map.entry("--repeats", "2"));
    }

    @Test
    void anOptionWithoutItsValueIsRefusedByName() {
        assertThatThrownBy(() -> DriverMain.options(new String[] {"--slots", "3", "--repeats"}, (n, v) -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("missing value of --repeats");
    }

    @Test
    void theDriversParseThroughIt() {
        MakespanDriver.Args makespan = MakespanDriver.Args.parse(new String[] {"--slots", "2,4", "--layout", "many"});
        assertThat(makespan.slots).containsExactly(2, 4);
        assertThat(makespan.oneWorker).isFalse();
        assertThat(ThroughputDriver.Args.parse(new String[] {"--phases", "500"}).phases).isEqualTo(500);
        assertThatThrownBy(() -> ThroughputDriver.Args.parse(new String[] {"--nope", "1"}))
                .hasMessage("unknown option --nope");
    }
}
