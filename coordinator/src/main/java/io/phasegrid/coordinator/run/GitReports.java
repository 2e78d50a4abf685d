package io.phasegrid.coordinator.run;

/** Whether the git part of a report fits its lease: git fields only on git leases, a git success with its commit. */
final class GitReports {

    private GitReports() {
    }

    /** Why the report does not fit the phase's lease, or null when it does. */
    static String misfit(RunRecord r, int phase, Outcome outcome, GitReport git) {
        String key = r.blueprint.key(phase);
        if (r.blueprint.git() == null) {
            if (!git.isEmpty() || outcome == Outcome.CONFLICT) {
                return "phase " + key + ": result_commit, conflict_paths, delivery_note and OUTCOME_CONFLICT are "
                        + "for git leases only; this run is not a git run";
            }
            return null;
        }
        if (outcome == Outcome.SUCCEEDED && git.resultCommit().isEmpty()) {
            return "phase " + key + ": result_commit is required for OUTCOME_SUCCEEDED on a git lease";
        }
        if (outcome == Outcome.CONFLICT && git.conflictPaths().isEmpty()) {
            return "phase " + key + ": conflict_paths is required for OUTCOME_CONFLICT";
        }
        if (!git.deliveryNote().isEmpty() && phase != r.blueprint.integration()) {
            return "phase " + key + ": delivery_note is for the integration lease only";
        }
        return null;
    }
}
