package io.phasegrid.bench.gen;

import java.util.Objects;

/**
 * What {@link RoadmapGenerator} generates. Immutable; start from {@link #defaults()} and use the withers.
 *
 * @param phases number of phases, numbered 1..phases; at least 1
 * @param fanIn dependencies per phase (an upper bound: early phases have fewer candidates); at least 0.
 *     Ignored by {@link Shape#DEEP}
 * @param seed the seed: the same options always give byte-identical output
 * @param shape how dependencies are laid out
 * @param window {@link Shape#RANDOM} only: how many preceding phases a phase may depend on; at least 1
 * @param milestones number of milestones the phases are split into (consecutive, nearly equal); at least 1.
 *     More milestones than phases are treated as one milestone per phase
 */
public record GeneratorOptions(int phases, int fanIn, long seed, Shape shape, int window, int milestones) {

    public static final int DEFAULT_PHASES = 1_000;
    public static final long DEFAULT_SEED = 42L;
    public static final int DEFAULT_WINDOW = 100;

    public GeneratorOptions {
        Objects.requireNonNull(shape, "shape");
        requireAtLeast("phases", phases, 1);
        requireAtLeast("fanIn", fanIn, 0);
        requireAtLeast("window", window, 1);
        requireAtLeast("milestones", milestones, 1);
    }

    /** 1,000 phases, {@link Shape#RANDOM}, fan-in 3, window 100, seed 42, one milestone. */
    public static GeneratorOptions defaults() {
        return defaultsFor(Shape.RANDOM);
    }

    /** The defaults with {@code shape} and that shape's {@linkplain Shape#defaultFanIn() default fan-in}. */
    public static GeneratorOptions defaultsFor(Shape shape) {
        return new GeneratorOptions(DEFAULT_PHASES, shape.defaultFanIn(), DEFAULT_SEED, shape, DEFAULT_WINDOW, 1);
    }

    public GeneratorOptions withPhases(int newPhases) {
        return new GeneratorOptions(newPhases, fanIn, seed, shape, window, milestones);
    }

    public GeneratorOptions withFanIn(int newFanIn) {
        return new GeneratorOptions(phases, newFanIn, seed, shape, window, milestones);
    }

    public GeneratorOptions withSeed(long newSeed) {
        return new GeneratorOptions(phases, fanIn, newSeed, shape, window, milestones);
    }

    /** Changes only the shape; the fan-in stays as it is. */
    public GeneratorOptions withShape(Shape newShape) {
        return new GeneratorOptions(phases, fanIn, seed, newShape, window, milestones);
    }

    public GeneratorOptions withWindow(int newWindow) {
        return new GeneratorOptions(phases, fanIn, seed, shape, newWindow, milestones);
    }

    public GeneratorOptions withMilestones(int newMilestones) {
        return new GeneratorOptions(phases, fanIn, seed, shape, window, newMilestones);
    }

    private static void requireAtLeast(String name, int value, int minimum) {
        if (value < minimum) {
            throw new IllegalArgumentException(name + " must be at least " + minimum + ", was " + value);
        }
    }
}
