package io.phasegrid.bench.gen;

import java.util.Arrays;
import java.util.Random;

/**
 * The dependencies a generated roadmap declares: phases are numbered 1..{@link #phaseCount()} and every
 * dependency points to a lower-numbered phase. Stored compactly (one int per edge plus one per phase), which is
 * the only per-phase state the generator keeps.
 */
public final class DependencyGraph {

    private final int[] offsets;
    private final int[] targets;

    private DependencyGraph(int[] offsets, int[] targets) {
        this.offsets = offsets;
        this.targets = targets;
    }

    /** The graph {@code options} describe; the same options always give the same graph. */
    public static DependencyGraph generate(GeneratorOptions options) {
        // java.util.Random, not SplittableRandom: its algorithm is specified, so a seed means the same roadmap
        // on every JDK the project supports.
        DependencyRule rule = DependencyRule.of(options, new DistinctSampler(new Random(options.seed())));
        int phases = options.phases();
        int[] offsets = new int[phases + 1];
        int[] targets = new int[Math.max(16, phases)];
        int edges = 0;
        for (int phase = 1; phase <= phases; phase++) {
            int[] dependencies = rule.dependenciesOf(phase);
            if (edges + dependencies.length > targets.length) {
                targets = Arrays.copyOf(targets, Math.max(targets.length * 2, edges + dependencies.length));
            }
            System.arraycopy(dependencies, 0, targets, edges, dependencies.length);
            edges += dependencies.length;
            offsets[phase] = edges;
        }
        return new DependencyGraph(offsets, Arrays.copyOf(targets, edges));
    }

    /** Number of phases. */
    public int phaseCount() {
        return offsets.length - 1;
    }

    /** Number of dependencies over all phases. */
    public int edgeCount() {
        return targets.length;
    }

    /**
     * The phases {@code phase} depends on, ascending; empty for a phase with none.
     *
     * @param phase 1..{@link #phaseCount()}
     */
    public int[] dependenciesOf(int phase) {
        if (phase < 1 || phase > phaseCount()) {
            throw new IndexOutOfBoundsException("phase " + phase + " is not in 1.." + phaseCount());
        }
        return Arrays.copyOfRange(targets, offsets[phase - 1], offsets[phase]);
    }
}
