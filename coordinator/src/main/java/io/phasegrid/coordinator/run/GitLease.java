package io.phasegrid.coordinator.run;

import java.util.ArrayList;
import java.util.List;

/**
 * What a lease of a git run works on, as the record knows it when the lease is granted: the run's {@link GitRun},
 * whether it is the integration step, its inputs (result commits, roadmap order) and a retry's resolution commit.
 * The worker-side refs and the checkpoint's commit are added where the lease is offered.
 */
public record GitLease(GitRun run, boolean integration, List<PhaseCommit> inputs, String resolutionCommit)
        implements java.io.Serializable {

    /** One phase's result commit. */
    public record PhaseCommit(String key, String name, String commit) implements java.io.Serializable {
    }

    public GitLease {
        inputs = List.copyOf(inputs);
        resolutionCommit = resolutionCommit == null ? "" : resolutionCommit;
    }

    /**
     * The git side of a lease of {@code phase}, null for a plain run. A phase's inputs are the results of its
     * dependencies (declared and inferred) that produced one; the integration step's are every phase result. Both
     * in roadmap order (blueprint index).
     */
    static GitLease of(RunRecord r, int phase) {
        RunBlueprint b = r.blueprint;
        if (b.git() == null) {
            return null;
        }
        boolean integration = phase == b.integration();
        boolean[] input = new boolean[b.size()];
        for (int k = 0, m = b.dependencyCount(phase); k < m; k++) {
            input[b.dependency(phase, k)] = true;
        }
        List<PhaseCommit> inputs = new ArrayList<>();
        for (int i = 0; i < b.size(); i++) {
            String commit = r.phases.resultCommit.get(i);
            if (input[i] && !commit.isEmpty()) {
                inputs.add(new PhaseCommit(b.key(i), b.name(i), commit));
            }
        }
        return new GitLease(b.git(), integration, inputs, r.phases.resolutionCommit.get(phase));
    }
}
