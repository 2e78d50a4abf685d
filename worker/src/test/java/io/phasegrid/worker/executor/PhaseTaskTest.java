package io.phasegrid.worker.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.phasegrid.proto.v1.Lease;
import io.phasegrid.proto.v1.LeasedPlan;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class PhaseTaskTest {

    private final Path workspace = Path.of("/tmp/ws");

    @Test
    void theEstimateIsSplitOverAllPlansAndTheSharesAddUpToIt() {
        PhaseTask task = Tasks.task(workspace, 10, "a", "b", "c");

        assertThat(List.of(task.estimateShare(0), task.estimateShare(1), task.estimateShare(2)))
                .containsExactly(4L, 3L, 3L);
    }

    @Test
    void aPhaseWithoutPlansHasOneShareTheWholeEstimate() {
        PhaseTask task = Tasks.task(workspace, 1234);

        assertThat(task.estimateShare(0)).isEqualTo(1234);
        assertThatThrownBy(() -> task.estimateShare(1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void isImmutableByteArraysAreCopied() {
        byte[] blob = {1, 2, 3};
        PhaseTask task = new PhaseTask("r", "k", "n", 1, 1, 0, List.of(), blob, workspace);
        blob[0] = 9;
        task.checkpoint()[1] = 9;

        assertThat(task.checkpoint()).containsExactly(1, 2, 3);
    }

    @Test
    void isBuiltFromALease() {
        Lease lease = Lease.newBuilder()
                .setRunId("run-9").setPhaseKey("03").setPhaseName("Billing").setEpoch(5).setAttempt(2)
                .setEstimatedTokens(900).setCheckpoint(ByteString.copyFromUtf8("state"))
                .addPlans(LeasedPlan.newBuilder().setId("03-01").setPath("p/03-01-PLAN.md")
                        .setContent(ByteString.copyFromUtf8("one")).setCompleted(true))
                .addPlans(LeasedPlan.newBuilder().setId("03-02").setContent(ByteString.copyFromUtf8("two")))
                .build();

        PhaseTask task = PhaseTask.fromLease(lease, workspace);

        assertThat(task.runId()).isEqualTo("run-9");
        assertThat(task.phaseKey()).isEqualTo("03");
        assertThat(task.phaseName()).isEqualTo("Billing");
        assertThat(task.epoch()).isEqualTo(5);
        assertThat(task.attempt()).isEqualTo(2);
        assertThat(task.estimatedTokens()).isEqualTo(900);
        assertThat(task.checkpoint()).asString().isEqualTo("state");
        assertThat(task.plans()).extracting(PhaseTask.Plan::id, PhaseTask.Plan::path, PhaseTask.Plan::completed)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("03-01", "p/03-01-PLAN.md", true),
                        org.assertj.core.groups.Tuple.tuple("03-02", "", false));
        assertThat(task.pendingPlans()).isEqualTo(1);
    }

    @Test
    void aLeasesGitPartBecomesTheTasksGitWorkAndAPlainLeaseHasNone() {
        Lease.Builder lease = Lease.newBuilder().setRunId("r").setPhaseKey("03").setPhaseName("Gamma").setAttempt(2)
                .setEpoch(4);
        assertThat(PhaseTask.fromLease(lease.build(), workspace).git()).isNull();

        lease.setGit(io.phasegrid.proto.v1.LeaseGit.newBuilder()
                .setRepoUrl("file:///srv/app.git")
                .setBaseCommit("a".repeat(40))
                .setWork(io.phasegrid.proto.v1.GitWork.GIT_WORK_INTEGRATION)
                .addInputs(io.phasegrid.proto.v1.PhaseCommit.newBuilder().setPhaseKey("01").setPhaseName("Alpha")
                        .setCommit("b".repeat(40)))
                .setResumeCommit("c".repeat(40))
                .setResolutionCommit("d".repeat(40))
                .setCheckpointRef("refs/phasegrid/r/03/e4")
                .setResultRef("refs/heads/phasegrid/r/result")
                .setDelivery(io.phasegrid.proto.v1.Delivery.DELIVERY_FAST_FORWARD)
                .setBaseBranch("main"));

        assertThat(PhaseTask.fromLease(lease.build(), workspace).git()).isEqualTo(new GitWork(true,
                "file:///srv/app.git", "a".repeat(40), List.of(new GitWork.Input("01", "Alpha", "b".repeat(40))),
                "c".repeat(40), "d".repeat(40), "refs/phasegrid/r/03/e4", "refs/heads/phasegrid/r/result", true,
                "main", ""));
    }
}
