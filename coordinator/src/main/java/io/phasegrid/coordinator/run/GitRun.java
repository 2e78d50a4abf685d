package io.phasegrid.coordinator.run;

import java.io.IOException;
import java.util.Objects;

/**
 * The git side of a run (run.proto GitSource, its form already checked): the repository every worker fetches from
 * and pushes to, the base commit, and what the integration step delivers. The coordinator never runs git; it hands
 * these to the workers with each lease and records the commits they report.
 *
 * @param baseBranch informational unless {@code delivery} is {@link Delivery#FAST_FORWARD}; may be empty
 */
public record GitRun(String repoUrl, String baseCommit, String baseBranch, Delivery delivery) {

    /** The key of the integration step, the synthetic last phase of a git run's blueprint. */
    public static final String INTEGRATION_KEY = "integration";

    /** What the integration step delivers. */
    public enum Delivery {
        BRANCH,
        FAST_FORWARD
    }

    public GitRun {
        Objects.requireNonNull(repoUrl, "repoUrl");
        Objects.requireNonNull(baseCommit, "baseCommit");
        baseBranch = baseBranch == null ? "" : baseBranch;
        Objects.requireNonNull(delivery, "delivery");
    }

    /** The branch the integration step creates: {@code phasegrid/<run_id>/result}. */
    public static String resultBranch(String runId) {
        return "phasegrid/" + runId + "/result";
    }

    public void writeTo(WireOutput out) throws IOException {
        out.writeString(repoUrl);
        out.writeString(baseCommit);
        out.writeString(baseBranch);
        out.writeByte(delivery.ordinal());
    }

    public static GitRun readFrom(WireInput in) throws IOException {
        return new GitRun(in.readString(), in.readString(), in.readString(), Delivery.values()[in.readByte()]);
    }
}
