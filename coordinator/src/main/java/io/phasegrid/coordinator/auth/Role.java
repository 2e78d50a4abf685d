package io.phasegrid.coordinator.auth;

/** What a principal may do (the table of methods per role is {@link MethodRules}). */
public enum Role {
    /** The WorkerService only. */
    WORKER,
    /** Submits runs and manages its own. */
    SUBMITTER,
    /** Reads every run, the workers and the ledger. */
    READER,
    /** Everything. */
    ADMIN
}
