package io.phasegrid.common.graph;

import static org.assertj.core.api.Assertions.assertThat;

import io.phasegrid.common.analysis.Analysis;
import io.phasegrid.common.analysis.AnalysisOptions;
import io.phasegrid.common.roadmap.Problem;
import io.phasegrid.common.roadmap.ProblemCode;
import io.phasegrid.common.testing.RoadmapBuilder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 9: inference never contradicts the declared graph. On 1,000 seeded random declared DAGs (any direction in
 * roadmap order, so phases depend on later phases too) with random shared files, random summary includes (either
 * direction) and random complete phases: no cycle is ever reported, every declared edge is respected by the waves,
 * and every pair of phases modifying one file is ordered, in the whole roadmap and among the phases a run executes.
 */
class InferencePropertiesTest {

    private static final int TRIES = 1_000;

    /** A random roadmap: phases 01..n, declared edges, files per phase, summary includes per phase, complete flags. */
    record Shape(int size, List<int[]> declared, List<List<String>> files, List<List<Integer>> includes,
            boolean[] complete) {

        RoadmapBuilder.PhaseSpec build(RoadmapBuilder builder, int v, java.util.Random order) {
            RoadmapBuilder.PhaseSpec phase = builder.phase(Integer.toString(v + 1));
            List<int[]> mine = new ArrayList<>(declared.stream().filter(d -> d[0] == v).toList());
            List<String> written = new ArrayList<>(files.get(v));
            if (order != null) { // the same facts written in another order
                Collections.shuffle(mine, order);
                Collections.shuffle(written, order);
            }
            for (int[] d : mine) {
                phase.dependsOn(RoadmapBuilder.key(d[1]));
            }
            RoadmapBuilder.PlanSpec plan = phase.plan(1).tokens(1_000 + v);
            written.forEach(plan::modifies);
            includes.get(v).forEach(u -> plan.includesSummaryOf(Integer.toString(u + 1)));
            if (complete[v]) {
                phase.complete();
            }
            return phase;
        }

        io.phasegrid.common.roadmap.Roadmap roadmap() {
            return roadmap(null);
        }

        /** The roadmap with each phase's dependencies and files written in an order drawn from {@code order}. */
        io.phasegrid.common.roadmap.Roadmap roadmap(java.util.Random order) {
            RoadmapBuilder builder = RoadmapBuilder.roadmap();
            for (int v = 0; v < size; v++) {
                build(builder, v, order);
            }
            return builder.build();
        }

        boolean shareAFile(int a, int b) {
            return files.get(a).stream().anyMatch(files.get(b)::contains);
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("Shape[n=" + size + ", declared=");
            declared.forEach(d -> sb.append(RoadmapBuilder.key(d[0])).append("->").append(RoadmapBuilder.key(d[1]))
                    .append(' '));
            return sb.append("files=").append(files).append(" includes=").append(includes).append(" complete=")
                    .append(java.util.Arrays.toString(complete)).append(']').toString();
        }
    }

    static Stream<Arguments> shapes() {
        return LongStream.range(0, TRIES).mapToObj(seed -> Arguments.of(seed, shape(new SplittableRandom(seed))));
    }

    private static Shape shape(SplittableRandom random) {
        int n = random.nextInt(2, 25);
        List<Integer> rank = new ArrayList<>(IntStream.range(0, n).boxed().toList());
        Collections.shuffle(rank, new java.util.Random(random.nextLong()));
        List<int[]> declared = new ArrayList<>();
        for (int i = random.nextInt(2 * n + 1); i > 0; i--) {
            int a = random.nextInt(n);
            int b = random.nextInt(n);
            if (a != b) {
                // the phase of higher rank depends on the other: acyclic whatever the roadmap order
                declared.add(rank.get(a) > rank.get(b) ? new int[] {a, b} : new int[] {b, a});
            }
        }
        int fileCount = random.nextInt(1, 5);
        List<List<String>> files = new ArrayList<>();
        List<List<Integer>> includes = new ArrayList<>();
        boolean[] complete = new boolean[n];
        for (int v = 0; v < n; v++) {
            List<String> mine = new ArrayList<>();
            for (int f = 0; f < fileCount; f++) {
                if (random.nextInt(3) == 0) {
                    mine.add("src/f" + f + ".ts");
                }
            }
            files.add(mine);
            List<Integer> refs = new ArrayList<>();
            if (random.nextInt(3) == 0) {
                refs.add(random.nextInt(n));
            }
            includes.add(refs);
            complete[v] = random.nextInt(4) == 0;
        }
        return new Shape(n, declared, files, includes, complete);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("shapes")
    void inferenceNeverProducesACycleAndKeepsEveryDeclaredEdge(long seed, Shape shape) {
        Analysis analysis = RoadmapAnalyzer.analyze(shape.roadmap(), AnalysisOptions.defaults());

        assertThat(analysis.errors()).as(shape.toString()).isEmpty();
        for (int[] d : shape.declared()) {
            assertThat(analysis.phases().get(d[0]).wave()).as("%s after its declared dependency %s", d[0], d[1])
                    .isGreaterThan(analysis.phases().get(d[1]).wave());
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("shapes")
    void everySharedFilePairIsOrderedInTheRoadmapAndAmongThePhasesARunExecutes(long seed, Shape shape) {
        Analysis analysis = RoadmapAnalyzer.analyze(shape.roadmap(), AnalysisOptions.defaults());
        PhaseGraph graph = analysis.graph();
        boolean[] everyPhase = new boolean[shape.size()];
        java.util.Arrays.fill(everyPhase, true);
        boolean[] pending = new boolean[shape.size()];
        for (int v = 0; v < shape.size(); v++) {
            pending[v] = !shape.complete()[v];
        }

        for (int a = 0; a < shape.size(); a++) {
            for (int b = a + 1; b < shape.size(); b++) {
                if (!shape.shareAFile(a, b)) {
                    continue;
                }
                assertThat(reaches(graph, a, b, everyPhase) || reaches(graph, b, a, everyPhase))
                        .as("%s and %s share a file: %s", a, b, shape).isTrue();
                assertThat(analysis.phases().get(a).wave()).isNotEqualTo(analysis.phases().get(b).wave());
                if (pending[a] && pending[b]) {
                    // a run skips complete phases and does not traverse them: the order must hold without them
                    assertThat(reaches(graph, a, b, pending) || reaches(graph, b, a, pending))
                            .as("pending %s and %s share a file: %s", a, b, shape).isTrue();
                }
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("shapes")
    void aDroppedInferenceIsAWarningNamingBothPhasesAndTheLineThatSuggestedIt(long seed, Shape shape) {
        Analysis analysis = RoadmapAnalyzer.analyze(shape.roadmap(), AnalysisOptions.defaults());

        for (Problem warning : analysis.warnings()) {
            if (warning.code() == ProblemCode.FORWARD_DEPENDENCY) {
                assertThat(warning.message()).matches("phase \\d+ would depend on (later )?phase \\d+ .*");
                assertThat(warning.source().file()).endsWith("-PLAN.md");
                assertThat(warning.source().line()).isPositive();
            }
        }
        assertThat(RoadmapAnalyzer.analyze(shape.roadmap(), AnalysisOptions.defaults())).isEqualTo(analysis);
        // determinism that does not hang on the order the author wrote things in: same waves, same edges
        Analysis reordered = RoadmapAnalyzer.analyze(shape.roadmap(new java.util.Random(seed)),
                AnalysisOptions.defaults());
        assertThat(reordered.waves()).as(shape.toString()).isEqualTo(analysis.waves());
        for (int v = 0; v < shape.size(); v++) {
            assertThat(java.util.Set.copyOf(reordered.phases().get(v).dependsOn())).as(shape.toString())
                    .isEqualTo(java.util.Set.copyOf(analysis.phases().get(v).dependsOn()));
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("shapes")
    void pendingOnlyAnalysesNeverReportACycleEither(long seed, Shape shape) {
        Analysis analysis = RoadmapAnalyzer.analyze(shape.roadmap(), AnalysisOptions.defaults().withPendingOnly(true));

        assertThat(analysis.errors()).as(shape.toString()).isEmpty();
        for (int[] d : shape.declared()) {
            if (!shape.complete()[d[0]] && !shape.complete()[d[1]]) {
                assertThat(analysis.phases().get(d[0]).wave()).isGreaterThan(analysis.phases().get(d[1]).wave());
            }
        }
    }

    /** Whether {@code to} depends on {@code from} through edges among {@code among} phases. */
    private static boolean reaches(PhaseGraph graph, int from, int to, boolean[] among) {
        boolean[] seen = new boolean[graph.size()];
        java.util.ArrayDeque<Integer> queue = new java.util.ArrayDeque<>(List.of(from));
        seen[from] = true;
        while (!queue.isEmpty()) {
            int x = queue.poll();
            if (x == to) {
                return true;
            }
            for (int s = graph.successorStart(x); s < graph.successorEnd(x); s++) {
                int w = graph.successor(s);
                if (among[w] && !seen[w]) {
                    seen[w] = true;
                    queue.add(w);
                }
            }
        }
        return false;
    }
}
