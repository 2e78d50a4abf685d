package io.phasegrid.common.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.phasegrid.common.roadmap.SourceRef;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PhaseGraphTest {

    private static final SourceRef LINE = SourceRef.of("R.md", 3);

    private static List<String> dependenciesOf(PhaseGraph graph, int v) {
        List<String> keys = new ArrayList<>();
        for (int s = graph.predecessorStart(v); s < graph.predecessorEnd(v); s++) {
            keys.add(graph.key(graph.predecessor(s)));
        }
        return keys;
    }

    private static List<String> dependentsOf(PhaseGraph graph, int v) {
        List<String> keys = new ArrayList<>();
        for (int s = graph.successorStart(v); s < graph.successorEnd(v); s++) {
            keys.add(graph.key(graph.successor(s)));
        }
        return keys;
    }

    @Test
    void neighboursAreListedInRoadmapOrderWhateverTheInsertionOrder() {
        PhaseGraph graph = PhaseGraph.builder(List.of("a", "b", "c", "d"))
                .addEdge(2, 3, EdgeKind.DECLARED, null, LINE)
                .addEdge(0, 3, EdgeKind.DECLARED, null, LINE)
                .addEdge(1, 3, EdgeKind.DECLARED, null, LINE)
                .addEdge(0, 2, EdgeKind.DECLARED, null, LINE)
                .build();

        assertThat(dependenciesOf(graph, 3)).containsExactly("a", "b", "c");
        assertThat(dependentsOf(graph, 0)).containsExactly("c", "d");
        assertThat(graph.edgeCount()).isEqualTo(4);
    }

    @Test
    void parallelEdgesAreMergedAndTheFirstReasonWins() {
        PhaseGraph graph = PhaseGraph.builder(List.of("a", "b"))
                .addEdge(0, 1, EdgeKind.DECLARED, null, LINE)
                .addEdge(0, 1, EdgeKind.SHARED_FILE, "both modify x (plans 01-01 and 02-01)", LINE)
                .build();

        assertThat(graph.edgeCount()).isEqualTo(1);
        assertThat(graph.edgeKind(0)).isEqualTo(EdgeKind.DECLARED);
        assertThat(graph.edgeReason(0)).isEqualTo("declared at R.md:3");
    }

    @Test
    void selfEdgesAreIgnoredAndOutOfRangeEdgesRefused() {
        PhaseGraph.Builder builder = PhaseGraph.builder(List.of("a"));

        assertThat(builder.addEdge(0, 0, EdgeKind.DECLARED, null, LINE).build().edgeCount()).isZero();
        assertThatThrownBy(() -> builder.addEdge(0, 1, EdgeKind.DECLARED, null, LINE))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void keysAreLookedUpByName() {
        PhaseGraph graph = PhaseGraph.builder(List.of("01", "v2/01")).build();

        assertThat(graph.indexOf("v2/01")).hasValue(1);
        assertThat(graph.indexOf("02")).isEmpty();
    }
}
