package io.phasegrid.common.testing;

import io.phasegrid.common.roadmap.Roadmap;
import java.util.Random;

/** Large generated roadmaps for scale tests. */
public final class SyntheticRoadmaps {

    private SyntheticRoadmaps() {
    }

    /**
     * {@code layers x width} phases, layer by layer. Every phase after the first layer depends on two phases of the
     * layer just before it and one of any earlier layer (so it lands exactly one wave after the previous layer);
     * {@code extraEdges} phases get one more dependency. The wave count is therefore {@code layers}.
     */
    public static Roadmap layered(int layers, int width, int extraEdges, long seed) {
        Random random = new Random(seed);
        RoadmapBuilder builder = RoadmapBuilder.roadmap();
        int extra = extraEdges;
        for (int layer = 0; layer < layers; layer++) {
            for (int column = 0; column < width; column++) {
                RoadmapBuilder.PhaseSpec phase = builder.phase(Integer.toString(layer * width + column + 1));
                if (layer == 0) {
                    continue;
                }
                int previous = (layer - 1) * width;
                int first = random.nextInt(width);
                int second = (first + 1 + random.nextInt(width - 1)) % width;
                phase.dependsOn(RoadmapBuilder.key(previous + first), RoadmapBuilder.key(previous + second));
                int third;
                if (layer >= 2) {
                    third = random.nextInt(layer - 1) * width + random.nextInt(width);
                } else {
                    int free = 0;
                    while (free == first || free == second) {
                        free++;
                    }
                    third = previous + free;
                }
                phase.dependsOn(RoadmapBuilder.key(third));
                if (extra > 0 && layer >= 2) {
                    int fourth = (layer - 2) * width + random.nextInt(width);
                    if (fourth != third) {
                        phase.dependsOn(RoadmapBuilder.key(fourth));
                        extra--;
                    }
                }
            }
        }
        return builder.build();
    }

    /** Phases {@code 1..length}, each depending on the one before; the first depends on the last when cyclic. */
    public static Roadmap chain(int length, boolean cyclic) {
        return RoadmapBuilder.roadmap().chain(length, cyclic).build();
    }
}
