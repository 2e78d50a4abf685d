package io.phasegrid.common.analysis;

/**
 * What an analysis includes.
 *
 * @param inferDependencies add inferred dependencies (summary includes, summary requires, shared files); default on
 * @param pendingOnly restrict waves and the critical path to phases that are not complete
 * @param estimator how phases without declared plan estimates are estimated
 */
public record AnalysisOptions(boolean inferDependencies, boolean pendingOnly, TokenEstimator estimator) {

    public static AnalysisOptions defaults() {
        return new AnalysisOptions(true, false, TokenEstimator.defaults());
    }

    public AnalysisOptions withInferDependencies(boolean infer) {
        return new AnalysisOptions(infer, pendingOnly, estimator);
    }

    public AnalysisOptions withPendingOnly(boolean pending) {
        return new AnalysisOptions(inferDependencies, pending, estimator);
    }

    public AnalysisOptions withEstimator(TokenEstimator tokenEstimator) {
        return new AnalysisOptions(inferDependencies, pendingOnly, tokenEstimator);
    }
}
