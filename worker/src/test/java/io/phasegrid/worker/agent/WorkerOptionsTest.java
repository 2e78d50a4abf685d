package io.phasegrid.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WorkerOptionsTest {

    @Test
    void theBuilderFillsTheDefaults() {
        WorkerOptions options = WorkerOptions.builder().coordinators("c:1").build();

        assertThat(options.slots()).isEqualTo(4);
        assertThat(options.name()).isNotBlank().endsWith("-" + ProcessHandle.current().pid());
        assertThat(options.labels()).isEmpty();
        assertThat(options.pollWait()).isEqualTo(Duration.ofSeconds(20));
        assertThat(options.reconnectBackoff()).isEqualTo(
                new Backoff(Duration.ofMillis(200), 2.0, Duration.ofSeconds(10), 0.2));
        assertThat(options.drainGrace()).isEqualTo(Duration.ofSeconds(30));
        assertThat(options.workspaceRoot()).isNotNull();
        assertThat(options.metrics()).as("records nothing unless given").isNotNull();
    }

    @Test
    void coordinatorsComeFromTheEnvironmentElseLocalhost7400() {
        assertThat(WorkerOptions.coordinatorsFrom(Map.of())).containsExactly("localhost:7400");
        assertThat(WorkerOptions.coordinatorsFrom(Map.of("PHASEGRID_COORDINATOR", "a:1, b:2,")))
                .containsExactly("a:1", "b:2");
    }

    @Test
    void rejectsWhatCannotWork() {
        assertThatThrownBy(() -> WorkerOptions.builder().slots(0).coordinators("c:1").build())
                .hasMessageContaining("slot");
        assertThatThrownBy(() -> WorkerOptions.builder().coordinators("no-port").build())
                .hasMessageContaining("host:port");
        assertThatThrownBy(() -> WorkerOptions.builder().coordinators(List.of()).build())
                .hasMessageContaining("coordinator");
    }

    @Test
    void theOptionsAreImmutable() {
        java.util.HashMap<String, String> labels = new java.util.HashMap<>(Map.of("a", "b"));
        WorkerOptions options = WorkerOptions.builder().coordinators("c:1").labels(labels).build();
        labels.put("x", "y");

        assertThat(options.labels()).containsOnlyKeys("a");
    }

    @Test
    void backoffDoublesUpToTheCapWithBoundedJitter() {
        Backoff exact = new Backoff(Duration.ofMillis(200), 2.0, Duration.ofSeconds(10), 0);
        Random random = new Random(1);

        assertThat(List.of(1, 2, 3, 6, 7, 30)).extracting(n -> exact.delayMillis(n, random))
                .containsExactly(200L, 400L, 800L, 6_400L, 10_000L, 10_000L);
        for (int i = 0; i < 100; i++) {
            assertThat(Backoff.DEFAULT.delayMillis(2, random)).isBetween(320L, 480L);
            assertThat(Backoff.DEFAULT.delayMillis(20, random)).isBetween(8_000L, 10_000L);
        }
    }

    @Test
    void workspaceNamesCannotLeaveTheRoot() {
        assertThat(PhaseRunner.safeName("../etc")).isEqualTo("_._etc");
        assertThat(PhaseRunner.safeName("..")).isEqualTo("_.");
        assertThat(PhaseRunner.safeName("07.1")).isEqualTo("07.1");
        assertThat(PhaseRunner.safeName("")).isEqualTo("_");
    }
}
