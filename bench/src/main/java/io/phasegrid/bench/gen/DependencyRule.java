package io.phasegrid.bench.gen;

/** Chooses the dependencies of one phase; asked for phases 1, 2, 3, ... in that order. */
interface DependencyRule {

    /** The phases {@code phase} depends on: distinct, ascending, each lower than {@code phase}. */
    int[] dependenciesOf(int phase);

    static DependencyRule of(GeneratorOptions options, DistinctSampler sampler) {
        return switch (options.shape()) {
            case RANDOM -> new RandomWindowRule(options.fanIn(), options.window(), sampler);
            case WIDE -> new LayeredRule(options.phases(), options.fanIn(), sampler);
            case DEEP -> new ChainRule();
        };
    }
}
