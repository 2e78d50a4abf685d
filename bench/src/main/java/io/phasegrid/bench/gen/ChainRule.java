package io.phasegrid.bench.gen;

/**
 * {@link Shape#DEEP}: {@value #CHAINS} interleaved chains, phase {@code i} depends on phase {@code i - 100}.
 * Interleaving (rather than consecutive blocks) keeps all chains startable at once from the first phases.
 */
final class ChainRule implements DependencyRule {

    static final int CHAINS = 100;

    @Override
    public int[] dependenciesOf(int phase) {
        return phase > CHAINS ? new int[] {phase - CHAINS} : new int[0];
    }
}
