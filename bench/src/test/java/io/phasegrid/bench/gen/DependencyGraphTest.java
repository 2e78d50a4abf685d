package io.phasegrid.bench.gen;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class DependencyGraphTest {

    private static DependencyGraph graph(GeneratorOptions options) {
        return DependencyGraph.generate(options);
    }

    @Nested
    class RandomShape {

        @Test
        void phaseIDependsOnMinOfFanInAndIMinusOnePhases() {
            DependencyGraph graph = graph(GeneratorOptions.defaults().withPhases(1_000).withFanIn(3));

            assertThat(graph.phaseCount()).isEqualTo(1_000);
            assertThat(graph.edgeCount()).isEqualTo(IntStream.rangeClosed(1, 1_000).map(i -> Math.min(3, i - 1)).sum())
                    .isEqualTo(2_994);
            for (int phase = 1; phase <= 1_000; phase++) {
                assertThat(graph.dependenciesOf(phase)).hasSize(Math.min(3, phase - 1));
            }
        }

        @Test
        void dependenciesAreDistinctAscendingAndInsideTheWindow() {
            DependencyGraph graph = graph(GeneratorOptions.defaults().withPhases(2_000).withFanIn(4).withWindow(10));

            for (int phase = 1; phase <= 2_000; phase++) {
                int windowStart = phase - 10;
                int previous = phase - 1;
                assertThat(IntStream.of(graph.dependenciesOf(phase))).isSorted().doesNotHaveDuplicates()
                        .allSatisfy(dependency -> assertThat(dependency).isBetween(windowStart, previous));
            }
        }

        @Test
        void aWindowSmallerThanTheFanInCapsTheDependencies() {
            DependencyGraph graph = graph(GeneratorOptions.defaults().withPhases(50).withFanIn(5).withWindow(2));

            assertThat(graph.dependenciesOf(50)).containsExactly(48, 49);
        }

        @Test
        void aHundredThousandPhasesWithFanInThreeGiveAboutThreeHundredThousandEdges() {
            DependencyGraph graph = graph(GeneratorOptions.defaults().withPhases(100_000).withFanIn(3));

            assertThat(graph.edgeCount()).isEqualTo(0 + 1 + 2 + 3 * (100_000 - 3));
        }

        @Test
        void differentSeedsDrawDifferentDependencies() {
            GeneratorOptions options = GeneratorOptions.defaults().withPhases(200);

            assertThat(graph(options.withSeed(1)).dependenciesOf(200))
                    .isNotEqualTo(graph(options.withSeed(2)).dependenciesOf(200));
        }
    }

    @Nested
    class WideShape {

        @Test
        void tenEqualLayersEachDependingOnFanInPhasesOfTheLayerBefore() {
            DependencyGraph graph = graph(GeneratorOptions.defaultsFor(Shape.WIDE).withPhases(1_000));

            for (int phase = 1; phase <= 1_000; phase++) {
                int layer = (phase - 1) / 100;
                int previousLayerFirst = (layer - 1) * 100 + 1;
                if (layer == 0) {
                    assertThat(graph.dependenciesOf(phase)).isEmpty();
                } else {
                    assertThat(IntStream.of(graph.dependenciesOf(phase))).hasSize(2).doesNotHaveDuplicates()
                            .allSatisfy(d -> assertThat(d).isBetween(previousLayerFirst, previousLayerFirst + 99));
                }
            }
            assertThat(graph.edgeCount()).isEqualTo(900 * 2);
        }

        @Test
        void unevenPhaseCountsStillGiveTenNonEmptyLayers() {
            LayeredRule layers = new LayeredRule(1_005, 2, null);

            assertThat(IntStream.rangeClosed(1, 1_005).map(layers::layerOf).distinct().count()).isEqualTo(10);
            for (int layer = 0; layer < 10; layer++) {
                int size = layers.firstPhaseOf(layer + 1) - layers.firstPhaseOf(layer);
                assertThat(size).isBetween(100, 101);
            }
        }

        @Test
        void fewerPhasesThanLayersGiveOnePhasePerLayer() {
            DependencyGraph graph = graph(GeneratorOptions.defaultsFor(Shape.WIDE).withPhases(4));

            assertThat(graph.dependenciesOf(1)).isEmpty();
            assertThat(graph.dependenciesOf(4)).containsExactly(3);
        }
    }

    @Nested
    class DeepShape {

        @Test
        void aHundredIndependentChainsOfPhasesOverAHundred() {
            DependencyGraph graph = graph(GeneratorOptions.defaultsFor(Shape.DEEP).withPhases(10_000));

            assertThat(graph.edgeCount()).isEqualTo(10_000 - 100);
            for (int phase = 1; phase <= 100; phase++) {
                assertThat(graph.dependenciesOf(phase)).as("chain head %d", phase).isEmpty();
            }
            for (int phase = 101; phase <= 10_000; phase++) {
                assertThat(graph.dependenciesOf(phase)).containsExactly(phase - 100);
            }
        }

        @Test
        void eachChainIsPhasesOverAHundredLong() {
            DependencyGraph graph = graph(GeneratorOptions.defaultsFor(Shape.DEEP).withPhases(5_000));

            int[] chainLength = new int[5_001];
            for (int phase = 1; phase <= 5_000; phase++) {
                int[] dependencies = graph.dependenciesOf(phase);
                chainLength[phase] = dependencies.length == 0 ? 1 : chainLength[dependencies[0]] + 1;
            }
            assertThat(IntStream.rangeClosed(4_901, 5_000).map(p -> chainLength[p])).containsOnly(50);
        }
    }

    @Test
    void aSeedMeansTheSameGraphOnEveryJdk() {
        // java.util.Random's sequence is specified, so these stay fixed; a change here breaks benchmark history
        DependencyGraph graph = graph(GeneratorOptions.defaults());

        assertThat(graph.dependenciesOf(5)).containsExactly(1, 3, 4);
        assertThat(graph.dependenciesOf(500)).containsExactly(414, 420, 493);
        assertThat(graph.dependenciesOf(1_000)).containsExactly(953, 980, 986);
    }

    @Test
    void everyShapeIsTheSameGraphForTheSameSeed() {
        for (Shape shape : Shape.values()) {
            GeneratorOptions options = GeneratorOptions.defaultsFor(shape).withPhases(3_000).withSeed(7);
            DependencyGraph first = graph(options);
            DependencyGraph second = graph(options);
            for (int phase = 1; phase <= 3_000; phase++) {
                assertThat(first.dependenciesOf(phase)).isEqualTo(second.dependenciesOf(phase));
            }
        }
    }
}
