package io.phasegrid.bench.gen;

/** {@link Shape#WIDE}: {@value #LAYERS} consecutive layers; a phase depends on phases of the layer before. */
final class LayeredRule implements DependencyRule {

    static final int LAYERS = 10;

    private final int phases;
    private final int layers;
    private final int fanIn;
    private final DistinctSampler sampler;

    LayeredRule(int phases, int fanIn, DistinctSampler sampler) {
        this.phases = phases;
        this.layers = Math.min(LAYERS, phases);
        this.fanIn = fanIn;
        this.sampler = sampler;
    }

    @Override
    public int[] dependenciesOf(int phase) {
        int layer = layerOf(phase);
        if (layer == 0) {
            return new int[0];
        }
        int first = firstPhaseOf(layer - 1);
        int last = firstPhaseOf(layer) - 1;
        return sampler.sample(first, last, Math.min(fanIn, last - first + 1));
    }

    /** Layer of a phase, 0-based; sizes differ by at most one and no layer is empty. */
    int layerOf(int phase) {
        return (int) ((long) (phase - 1) * layers / phases);
    }

    /** The lowest phase of a layer: the smallest p with layerOf(p) >= layer. */
    int firstPhaseOf(int layer) {
        long scaled = (long) layer * phases;
        return (int) ((scaled + layers - 1) / layers) + 1;
    }
}
