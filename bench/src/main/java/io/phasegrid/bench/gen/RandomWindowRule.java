package io.phasegrid.bench.gen;

/** {@link Shape#RANDOM}: up to {@code fanIn} distinct phases out of the {@code window} phases just before. */
final class RandomWindowRule implements DependencyRule {

    private final int fanIn;
    private final int window;
    private final DistinctSampler sampler;

    RandomWindowRule(int fanIn, int window, DistinctSampler sampler) {
        this.fanIn = fanIn;
        this.window = window;
        this.sampler = sampler;
    }

    @Override
    public int[] dependenciesOf(int phase) {
        int candidates = Math.min(phase - 1, window);
        return sampler.sample(phase - candidates, phase - 1, Math.min(fanIn, candidates));
    }
}
