package io.phasegrid.common.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.phasegrid.common.roadmap.SourceRef;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The dispatch order shared by the coordinator's blueprint and the simulator. */
class DispatchOrderTest {

    private static final SourceRef LINE = SourceRef.of("ROADMAP.md", 1);

    /** a -> c, b -> c, c -> d; e alone. */
    private static PhaseGraph graph() {
        return PhaseGraph.builder(List.of("a", "b", "c", "d", "e"))
                .addEdge(0, 2, EdgeKind.DECLARED, null, LINE)
                .addEdge(1, 2, EdgeKind.DECLARED, null, LINE)
                .addEdge(2, 3, EdgeKind.DECLARED, null, LINE)
                .build();
    }

    private static boolean[] all(int n) {
        boolean[] b = new boolean[n];
        Arrays.fill(b, true);
        return b;
    }

    private static List<String> byRank(PhaseGraph graph, DispatchOrder order) {
        return IntStream.range(0, graph.size()).boxed().sorted(Comparator.comparingInt(order::rank))
                .map(graph::key).toList();
    }

    @Test
    void theLongestRemainingPathGoesFirstAndTiesKeepRoadmapOrder() {
        PhaseGraph graph = graph();
        DispatchOrder order = DispatchOrder.compute(graph, all(5), new long[] {10, 10, 5, 5, 30}, false);

        assertThat(order.priority(0)).isEqualTo(20);
        assertThat(order.priority(2)).isEqualTo(10);
        assertThat(order.priority(4)).isEqualTo(30);
        assertThat(byRank(graph, order)).containsExactly("e", "a", "b", "c", "d");
        assertThat(order.before(0, 1)).as("a tie goes to the earlier phase").isTrue();
    }

    @Test
    void theWavesScheduleKeepsEveryLowerWaveFirst() {
        PhaseGraph graph = graph();
        DispatchOrder order = DispatchOrder.compute(graph, all(5), new long[] {1, 1, 1, 100, 1}, true);

        assertThat(IntStream.range(0, 5).map(order::wave).toArray()).containsExactly(1, 1, 2, 3, 1);
        assertThat(order.waveCount()).isEqualTo(3);
        assertThat(byRank(graph, order)).containsExactly("a", "b", "e", "c", "d");
    }

    @Test
    void unscheduledPhasesCountAsDoneAndGetNoWaveOrPriority() {
        PhaseGraph graph = graph();
        boolean[] scheduled = all(5);
        scheduled[0] = false; // a is complete
        DispatchOrder order = DispatchOrder.compute(graph, scheduled, new long[] {99, 1, 1, 1, 1}, false);

        assertThat(order.wave(0)).isZero();
        assertThat(order.priority(0)).isZero();
        assertThat(order.wave(1)).isEqualTo(1);
        assertThat(order.priority(1)).isEqualTo(3);
    }

    @Test
    void aCycleAmongScheduledPhasesIsRefusedNamingThem() {
        PhaseGraph cyclic = PhaseGraph.builder(List.of("a", "b", "c"))
                .addEdge(0, 1, EdgeKind.DECLARED, null, LINE)
                .addEdge(1, 0, EdgeKind.DECLARED, null, LINE)
                .build();
        assertThatThrownBy(() -> DispatchOrder.compute(cyclic, all(3), new long[3], false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("dependency cycle among phases a, b");

        boolean[] withoutTheCycle = {false, false, true};
        assertThat(DispatchOrder.compute(cyclic, withoutTheCycle, new long[3], false).wave(2)).isEqualTo(1);
    }

    @Test
    void estimatesThatAddUpPastLongMaxSaturate() {
        PhaseGraph graph = graph();
        long big = Long.MAX_VALUE / 2 + 1;
        DispatchOrder order = DispatchOrder.compute(graph, all(5), new long[] {big, 0, big, big, 0}, false);
        assertThat(order.priority(0)).isEqualTo(Long.MAX_VALUE);
    }
}
