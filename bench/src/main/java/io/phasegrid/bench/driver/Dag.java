package io.phasegrid.bench.driver;

import io.phasegrid.bench.gen.DependencyGraph;
import io.phasegrid.bench.gen.GeneratorOptions;
import io.phasegrid.bench.gen.Shape;
import io.phasegrid.proto.v1.StructuredPhase;
import io.phasegrid.proto.v1.StructuredRoadmap;

/**
 * A benchmark DAG: phases 1..n, each with the lower-numbered phases it depends on (from the synthetic generator's
 * {@link DependencyGraph}, fixed seed), as arrays for the in-process floor and as a structured roadmap for the
 * cluster.
 */
public final class Dag {

    private final String name;
    private final int[][] dependencies; // index 0 unused

    private Dag(String name, int[][] dependencies) {
        this.name = name;
        this.dependencies = dependencies;
    }

    /** The generator's graph of {@code shape} with {@code phases} phases (default seed). */
    public static Dag of(Shape shape, int phases) {
        DependencyGraph graph = DependencyGraph.generate(GeneratorOptions.defaultsFor(shape).withPhases(phases));
        int[][] deps = new int[phases + 1][];
        deps[0] = new int[0];
        for (int i = 1; i <= phases; i++) {
            deps[i] = graph.dependenciesOf(i);
        }
        return new Dag(shape.cliName(), deps);
    }

    /** {@code phases} independent phases. */
    public static Dag independent(int phases) {
        int[][] deps = new int[phases + 1][];
        for (int i = 0; i <= phases; i++) {
            deps[i] = new int[0];
        }
        return new Dag("independent", deps);
    }

    public String name() {
        return name;
    }

    public int size() {
        return dependencies.length - 1;
    }

    /** Dependencies of phase {@code i} (1-based); do not modify. */
    public int[] dependenciesOf(int i) {
        return dependencies[i];
    }

    public static String key(int i) {
        return Integer.toString(i);
    }

    /** The DAG as a structured roadmap: key "i", no plans, default estimate. */
    public StructuredRoadmap roadmap() {
        StructuredRoadmap.Builder roadmap = StructuredRoadmap.newBuilder();
        for (int i = 1; i <= size(); i++) {
            StructuredPhase.Builder phase = StructuredPhase.newBuilder().setKey(key(i)).setName("p" + i);
            for (int d : dependencies[i]) {
                phase.addDependsOn(key(d));
            }
            roadmap.addPhases(phase);
        }
        return roadmap.build();
    }
}
