package io.phasegrid.coordinator.run.store;

import io.phasegrid.coordinator.ledger.Tokens;
import io.phasegrid.coordinator.run.GitReport;
import io.phasegrid.coordinator.run.Outcome;
import java.util.Objects;

/**
 * One worker report of an attempt's outcome, as {@link RunStore#completeAll} applies it.
 *
 * @param key the phase key
 * @param epoch the lease epoch the report carries
 * @param outcome what the attempt did
 * @param tokens tokens the attempt used, 0 to {@link Tokens#MAX_PER_REPORT}
 * @param error why it failed (empty otherwise)
 * @param worker name of the reporting worker, checked against the lease's holder; null = unchecked (the
 *     coordinator's own reports)
 * @param git the git part (result commit, conflict paths, delivery note); {@link GitReport#NONE} for a plain lease
 */
public record PhaseReport(String key, long epoch, Outcome outcome, long tokens, String error, String worker,
        GitReport git) {

    public PhaseReport {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(outcome, "outcome");
        Tokens.requireReport("tokens", tokens);
        error = error == null ? "" : error;
        git = git == null ? GitReport.NONE : git;
    }

    public PhaseReport(String key, long epoch, Outcome outcome, long tokens, String error, String worker) {
        this(key, epoch, outcome, tokens, error, worker, GitReport.NONE);
    }
}
