package io.phasegrid.bench.gen;

import java.util.Locale;

/** How the dependencies of a generated roadmap are laid out. */
public enum Shape {

    /**
     * Phase {@code i} depends on {@code min(fanIn, i-1)} distinct phases drawn uniformly from the previous
     * {@code window} phases (fewer when the window holds fewer phases).
     */
    RANDOM(3),

    /**
     * The phases are split into {@value LayeredRule#LAYERS} consecutive layers of (nearly) equal size; every phase
     * outside the first layer depends on {@code fanIn} distinct random phases of the layer before.
     */
    WIDE(2),

    /**
     * {@value ChainRule#CHAINS} independent chains: phase {@code i} depends on phase {@code i - 100}, so phases
     * 1-100 start the chains and each chain is {@code phases / 100} long. {@code fanIn} is not used.
     */
    DEEP(1);

    private final int defaultFanIn;

    Shape(int defaultFanIn) {
        this.defaultFanIn = defaultFanIn;
    }

    /** The fan-in a user gets when they choose this shape and no fan-in. */
    public int defaultFanIn() {
        return defaultFanIn;
    }

    /**
     * The shape named {@code name}, ignoring case ({@code random}, {@code wide}, {@code deep}).
     *
     * @throws IllegalArgumentException for any other name, listing the accepted ones
     */
    public static Shape parse(String name) {
        for (Shape shape : values()) {
            if (shape.name().equalsIgnoreCase(name.strip())) {
                return shape;
            }
        }
        throw new IllegalArgumentException("unknown shape '" + name + "', expected one of random, wide, deep");
    }

    /** The lower-case name used on the command line. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
