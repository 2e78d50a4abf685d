package io.phasegrid.common.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.phasegrid.common.analysis.Analysis;
import io.phasegrid.common.analysis.AnalysisOptions;
import io.phasegrid.common.roadmap.Problem;
import io.phasegrid.common.roadmap.ProblemCode;
import io.phasegrid.common.simulate.ScheduleSimulator;
import io.phasegrid.common.simulate.ScheduledPhase;
import io.phasegrid.common.simulate.Simulation;
import io.phasegrid.common.testing.RandomGraph;
import io.phasegrid.common.testing.RoadmapBuilder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Invariants of waves, critical paths, cycles and schedules on random graphs: property tests over 1,000 seeded
 * random graphs each (the seed in a failing test's name replays it).
 */
class GraphPropertiesTest {

    private static final double EPSILON = 1e-9;

    private static final int TRIES = 1_000;

    /** Random DAGs of 1-10 phases, each with its seed so a failure can be replayed. */
    static Stream<Arguments> dags() {
        return LongStream.range(0, TRIES).mapToObj(seed -> Arguments.of(seed, dag(new SplittableRandom(seed))));
    }

    static Stream<Arguments> cyclicGraphs() {
        return LongStream.range(0, TRIES).mapToObj(seed -> {
            SplittableRandom random = new SplittableRandom(seed);
            int n = random.nextInt(2, 11);
            return Arguments.of(seed, RandomGraph.cyclic(shuffled(random, n), random.nextInt(2, n + 1),
                    pairs(random, n, 2 * n)));
        });
    }

    static Stream<Arguments> partlyCompleteDags() {
        return LongStream.range(0, TRIES).mapToObj(seed -> {
            SplittableRandom random = new SplittableRandom(seed);
            RandomGraph graph = dag(random);
            List<Boolean> complete = new ArrayList<>();
            for (int v = 0; v < graph.size(); v++) {
                complete.add(random.nextBoolean());
            }
            return Arguments.of(seed, graph.withComplete(complete));
        });
    }

    private static RandomGraph dag(SplittableRandom random) {
        int n = random.nextInt(1, 11);
        List<Long> tokens = new ArrayList<>();
        for (int v = 0; v < n; v++) {
            tokens.add(random.nextLong(0, 50_001));
        }
        return RandomGraph.acyclic(shuffled(random, n), pairs(random, n, 3 * n), tokens, random.nextInt(1, 5));
    }

    private static List<Integer> shuffled(SplittableRandom random, int n) {
        List<Integer> indices = new ArrayList<>(IntStream.range(0, n).boxed().toList());
        for (int i = n - 1; i > 0; i--) {
            Collections.swap(indices, i, random.nextInt(i + 1));
        }
        return indices;
    }

    private static List<int[]> pairs(SplittableRandom random, int n, int maxCount) {
        int count = random.nextInt(maxCount + 1);
        List<int[]> pairs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            pairs.add(new int[] {random.nextInt(n), random.nextInt(n)});
        }
        return pairs;
    }

    private static Analysis analyze(RandomGraph graph) {
        return RoadmapAnalyzer.analyze(graph.toRoadmap(), AnalysisOptions.defaults());
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dags")
    void everyDependencyGoesFromALowerWaveToAHigherOne(long seed, RandomGraph graph) {
        Analysis analysis = analyze(graph);

        assertThat(analysis.errors()).isEmpty();
        for (int[] d : graph.dependencies()) {
            assertThat(analysis.phases().get(d[1]).wave()).isLessThan(analysis.phases().get(d[0]).wave());
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dags")
    void wavesAreMinimal(long seed, RandomGraph graph) {
        Analysis analysis = analyze(graph);

        for (int v = 0; v < graph.size(); v++) {
            int wave = analysis.phases().get(v).wave();
            int phase = v;
            boolean hasDependency = graph.dependencies().stream().anyMatch(d -> d[0] == phase);
            boolean hasDependencyInPreviousWave = graph.dependencies().stream()
                    .anyMatch(d -> d[0] == phase && analysis.phases().get(d[1]).wave() == wave - 1);
            if (wave == 1) {
                assertThat(hasDependency).isFalse();
            } else {
                assertThat(hasDependencyInPreviousWave).isTrue();
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dags")
    void wavesCoverEveryPhaseOnceInRoadmapOrder(long seed, RandomGraph graph) {
        Analysis analysis = analyze(graph);

        List<String> flattened = analysis.waves().stream().flatMap(List::stream).toList();
        assertThat(flattened).hasSize(graph.size()).doesNotHaveDuplicates();
        for (List<String> wave : analysis.waves()) {
            assertThat(wave).isSorted();
        }
        assertThat(analysis.maxParallelism()).isEqualTo(analysis.waves().stream().mapToInt(List::size).max()
                .orElse(0));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dags")
    void criticalPathIsARealChainAtLeastAsLongAsEveryPath(long seed, RandomGraph graph) {
        Analysis analysis = analyze(graph);
        List<String> path = analysis.criticalPath();

        assertThat(path).isNotEmpty();
        for (int i = 0; i + 1 < path.size(); i++) {
            assertThat(graph.dependsOn(indexOf(path.get(i + 1)), indexOf(path.get(i)))).isTrue();
        }
        long tokens = path.stream().mapToLong(k -> graph.tokens()[indexOf(k)]).sum();
        assertThat(analysis.criticalPathTokens()).isEqualTo(tokens);
        assertThat(tokens).isEqualTo(bruteForceLongestPath(graph));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dags")
    void simulatedSchedulesRespectDependenciesSlotsAndBounds(long seed, RandomGraph graph) {
        Analysis analysis = analyze(graph);
        Simulation simulation = ScheduleSimulator.withDefaults().simulate(analysis, null, graph.slots());

        double lowerBound = simulation.lowerBoundMinutes();
        assertThat(simulation.dependencyDrivenMinutes()).isGreaterThanOrEqualTo(lowerBound - EPSILON)
                .isLessThanOrEqualTo(simulation.sequentialMinutes() + EPSILON)
                // Graham's bound for greedy list scheduling
                .isLessThanOrEqualTo(simulation.sequentialMinutes() / graph.slots()
                        + simulation.criticalPathMinutes() + EPSILON);
        assertThat(simulation.waveBarrierMinutes()).isGreaterThanOrEqualTo(lowerBound - EPSILON)
                .isGreaterThanOrEqualTo(simulation.groupsMinutes() - EPSILON)
                .isLessThanOrEqualTo(simulation.sequentialMinutes() + EPSILON);
        assertThat(simulation.criticalPathMinutes()).isCloseTo(analysis.criticalPathTokens() / 1000.0,
                within(EPSILON));

        Map<String, ScheduledPhase> byKey = new HashMap<>();
        simulation.dependencyDrivenSchedule().forEach(p -> byKey.put(p.key(), p));
        assertThat(byKey).hasSize(graph.size());
        for (int[] d : graph.dependencies()) {
            assertThat(byKey.get(RoadmapBuilder.key(d[0])).startMinute())
                    .isGreaterThanOrEqualTo(byKey.get(RoadmapBuilder.key(d[1])).endMinute());
        }
        for (ScheduledPhase p : simulation.dependencyDrivenSchedule()) {
            assertThat(p.slot()).isBetween(0, graph.slots() - 1);
            long sameSlotOverlaps = simulation.dependencyDrivenSchedule().stream()
                    .filter(q -> q != p && q.slot() == p.slot())
                    .filter(q -> q.startMinute() < p.endMinute() && p.startMinute() < q.endMinute())
                    .count();
            assertThat(sameSlotOverlaps).isZero();
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dags")
    void phasesCanRunTogetherExactlyWhenNeitherReachesTheOther(long seed, RandomGraph graph) {
        ParallelCheck check = ParallelCheck.of(analyze(graph));
        boolean[][] reaches = transitiveClosure(graph);

        for (int a = 0; a < graph.size(); a++) {
            for (int b = a + 1; b < graph.size(); b++) {
                boolean together = check.canRunTogether(List.of(RoadmapBuilder.key(a), RoadmapBuilder.key(b))).parallel();
                assertThat(together).isEqualTo(!reaches[a][b] && !reaches[b][a]);
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("cyclicGraphs")
    void cyclicGraphsAreRejectedWithATrueCycle(long seed, RandomGraph graph) {
        Analysis analysis = analyze(graph);

        assertThat(analysis.errors()).isNotEmpty().allSatisfy(error -> {
            assertThat(error.code()).isEqualTo(ProblemCode.CYCLE);
            List<String> keys = printedPath(error);
            assertThat(keys.size()).isGreaterThanOrEqualTo(3);
            assertThat(keys.get(keys.size() - 1)).isEqualTo(keys.get(0));
            assertThat(keys.subList(0, keys.size() - 1)).doesNotHaveDuplicates();
            for (int i = 0; i + 1 < keys.size(); i++) {
                assertThat(graph.dependsOn(indexOf(keys.get(i)), indexOf(keys.get(i + 1))))
                        .as("%s depends on %s", keys.get(i), keys.get(i + 1)).isTrue();
            }
        });
        assertThat(analysis.waves()).isEmpty();
        assertThat(analysis.criticalPath()).isEmpty();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("partlyCompleteDags")
    void pendingWavesOrderPendingPhasesMinimallyAndCountCompleteOnesAsDone(long seed, RandomGraph graph) {
        Analysis analysis = RoadmapAnalyzer.analyze(graph.toRoadmap(), AnalysisOptions.defaults().withPendingOnly(true));

        for (int v = 0; v < graph.size(); v++) {
            int wave = analysis.phases().get(v).wave();
            if (graph.complete()[v]) {
                assertThat(wave).isZero();
                continue;
            }
            int phase = v;
            List<Integer> pendingDependencyWaves = graph.dependencies().stream()
                    .filter(d -> d[0] == phase && !graph.complete()[d[1]])
                    .map(d -> analysis.phases().get(d[1]).wave())
                    .toList();
            assertThat(pendingDependencyWaves).allSatisfy(w -> assertThat(w).isLessThan(wave));
            if (wave == 1) {
                assertThat(pendingDependencyWaves).isEmpty();
            } else {
                assertThat(pendingDependencyWaves).contains(wave - 1);
            }
        }
        assertThat(ParallelCheck.of(analysis).pendingWaves()).isEqualTo(analysis.waves());
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dags")
    void analysisIsDeterministic(long seed, RandomGraph graph) {
        assertThat(analyze(graph)).isEqualTo(analyze(graph));
    }

    private static final Pattern PRINTED_KEY = Pattern.compile("(?:^cycle: | -> )(\\S+)");

    private static List<String> printedPath(Problem error) {
        List<String> keys = new ArrayList<>();
        Matcher m = PRINTED_KEY.matcher(error.message());
        while (m.find()) {
            keys.add(m.group(1));
        }
        return keys;
    }

    private static int indexOf(String key) {
        return Integer.parseInt(key) - 1;
    }

    /** Longest path by tokens, by enumerating every path from every phase (small graphs only). */
    private static long bruteForceLongestPath(RandomGraph graph) {
        long best = 0;
        for (int v = 0; v < graph.size(); v++) {
            best = Math.max(best, longestFrom(graph, v));
        }
        return best;
    }

    private static long longestFrom(RandomGraph graph, int v) {
        long best = 0;
        for (int[] d : graph.dependencies()) {
            if (d[1] == v) {
                best = Math.max(best, longestFrom(graph, d[0]));
            }
        }
        return graph.tokens()[v] + best;
    }

    /** {@code reaches[a][b]}: a depends on b, directly or not. */
    private static boolean[][] transitiveClosure(RandomGraph graph) {
        int n = graph.size();
        boolean[][] reaches = new boolean[n][n];
        for (int[] d : graph.dependencies()) {
            reaches[d[0]][d[1]] = true;
        }
        for (int k = 0; k < n; k++) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    reaches[i][j] |= reaches[i][k] && reaches[k][j];
                }
            }
        }
        return reaches;
    }
}
