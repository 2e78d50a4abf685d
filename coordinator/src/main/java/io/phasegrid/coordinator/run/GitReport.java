package io.phasegrid.coordinator.run;

import java.util.List;
import java.util.Objects;

/**
 * The git part of a worker's report (form already checked by the gRPC layer): the result commit of a SUCCEEDED
 * attempt, the paths of a CONFLICT, the integration step's delivery note. {@link #NONE} for a plain lease.
 */
public record GitReport(String resultCommit, List<String> conflictPaths, String deliveryNote)
        implements java.io.Serializable {

    /** Paths of a conflict the run keeps. */
    public static final int MAX_KEPT_PATHS = 100;

    public static final GitReport NONE = new GitReport("", List.of(), "");

    public GitReport {
        resultCommit = resultCommit == null ? "" : resultCommit;
        conflictPaths = List.copyOf(Objects.requireNonNullElse(conflictPaths, List.of()));
        deliveryNote = deliveryNote == null ? "" : deliveryNote;
    }

    public static GitReport result(String commit, String deliveryNote) {
        return new GitReport(commit, List.of(), deliveryNote);
    }

    public static GitReport conflict(List<String> paths) {
        return new GitReport("", paths, "");
    }

    boolean isEmpty() {
        return resultCommit.isEmpty() && conflictPaths.isEmpty() && deliveryNote.isEmpty();
    }

    /** The first {@value #MAX_KEPT_PATHS} paths in sorted order (duplicates dropped). */
    List<String> keptPaths() {
        return conflictPaths.stream().distinct().sorted().limit(MAX_KEPT_PATHS).toList();
    }
}
