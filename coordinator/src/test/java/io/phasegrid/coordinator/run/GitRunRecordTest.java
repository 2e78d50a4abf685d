package io.phasegrid.coordinator.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The integration step of a git run, as the record schedules it; plain runs have none. */
class GitRunRecordTest {

    private static final GitRun GIT = new GitRun("file:///srv/p.git", "b".repeat(40), "", GitRun.Delivery.BRANCH);
    private static final RunSettings ONE_ATTEMPT = RunSettings.builder()
            .retry(new RetryPolicy(1, 100, 2.0, 1_000)).build();

    private static RunBlueprint.Builder roadmap() {
        return RunBlueprint.builder().phase("01", 100).completePhase("02", 100).phase("03", 100, "01");
    }

    private static String commit(char c) {
        return String.valueOf(c).repeat(40);
    }

    @Test
    void aPlainRunHasNoIntegrationStep() {
        RunBlueprint plain = roadmap().build(ONE_ATTEMPT);

        assertThat(plain.size()).isEqualTo(3);
        assertThat(plain.integration()).isEqualTo(-1);
        assertThat(plain.git()).isNull();
        assertThat(RunRecord.create("p", "p", plain, 0).gitLease(0)).isNull();
    }

    @Test
    void theIntegrationStepDependsOnEveryPhaseAndWaitsForThemAll() {
        RunBlueprint git = roadmap().buildGit(ONE_ATTEMPT, GIT);
        RunRecord r = RunRecord.create("g", "g", git, 0);
        int integration = git.integration();

        assertThat(git.key(integration)).isEqualTo(GitRun.INTEGRATION_KEY);
        assertThat(git.dependsOn(integration)).containsExactly("01", "02", "03");
        assertThat(git.estimatedTokens(integration)).isZero();
        assertThat(git.plans(integration)).isEmpty();
        assertThat(r.phase(integration).state()).isEqualTo(PhaseState.PENDING);

        LeaseGrant alpha = r.lease("w", 3, 10, 1_000).get(0);
        r.complete(alpha.phase(), alpha.epoch(), Outcome.SUCCEEDED, 5, "", GitReport.result(commit('1'), ""), 20);
        LeaseGrant gamma = r.lease("w", 3, 30, 1_000).get(0);
        assertThat(gamma.key()).isEqualTo("03");
        assertThat(r.gitLease(gamma.phase()).inputs()).extracting(GitLease.PhaseCommit::commit)
                .containsExactly(commit('1'));
        r.complete(gamma.phase(), gamma.epoch(), Outcome.SUCCEEDED, 5, "", GitReport.result(commit('3'), ""), 40);
        assertThat(r.state()).isEqualTo(RunState.RUNNING);

        List<LeaseGrant> last = r.lease("w", 3, 50, 1_000);
        assertThat(last).extracting(LeaseGrant::key).containsExactly(GitRun.INTEGRATION_KEY);
        assertThat(last.get(0).estimatedTokens()).isZero();
        GitLease lease = r.gitLease(integration);
        assertThat(lease.integration()).isTrue();
        assertThat(lease.inputs()).as("the skipped phase produced no result")
                .extracting(GitLease.PhaseCommit::key).containsExactly("01", "03");
        r.complete(integration, last.get(0).epoch(), Outcome.SUCCEEDED, 0, "", GitReport.result(commit('9'), "n"), 60);

        assertThat(r.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(r.phase(integration).resultCommit()).isEqualTo(commit('9'));
        assertThat(r.phase(integration).deliveryNote()).isEqualTo("n");
    }

    @Test
    void aFailedPhaseBlocksTheIntegrationAndTheRunFails() {
        RunBlueprint git = roadmap().buildGit(ONE_ATTEMPT, GIT);
        RunRecord r = RunRecord.create("g", "g", git, 0);
        LeaseGrant alpha = r.lease("w", 3, 10, 1_000).get(0);

        r.complete(alpha.phase(), alpha.epoch(), Outcome.FAILED, 5, "boom", 20);

        assertThat(r.phase(git.integration()).state()).isEqualTo(PhaseState.BLOCKED);
        assertThat(r.state()).isEqualTo(RunState.FAILED);
    }

    @Test
    void aConflictIsNotRetriedAndChargesNothingEvenUnderARetryPolicy() {
        RunBlueprint git = roadmap().buildGit(RunSettings.defaults(), GIT);
        RunRecord r = RunRecord.create("g", "g", git, 0);
        LeaseGrant alpha = r.lease("w", 3, 10, 1_000).get(0);

        CompleteResult result = r.complete(alpha.phase(), alpha.epoch(), Outcome.CONFLICT, 777, "",
                GitReport.conflict(List.of("z", "a", "a")), 20);

        assertThat(result.phaseState()).isEqualTo(PhaseState.FAILED);
        assertThat(r.phase(alpha.phase()).tokens()).isZero();
        assertThat(r.phase(alpha.phase()).conflictPaths()).containsExactly("a", "z");
        assertThat(r.phase(alpha.phase()).reason()).isEqualTo("conflict: a, z");
        assertThat(r.tokensReserved()).isZero();
        assertThat(r.state()).isEqualTo(RunState.FAILED);
    }

    @Test
    void aReservedKeyCannotBeARoadmapPhaseOfAGitRun() {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> RunBlueprint.builder()
                .phase(GitRun.INTEGRATION_KEY, 1).buildGit(RunSettings.defaults(), GIT)).withMessageContaining("reserved");
        assertThat(RunBlueprint.builder().phase(GitRun.INTEGRATION_KEY, 1).build().size())
                .as("a plain run may use it").isEqualTo(1);
    }

    @Test
    void aRetryKeepsTheResultsAndSetsOnlyTheResolvedPhasesStart() {
        RunBlueprint git = RunBlueprint.builder().phase("01", 1).phase("02", 1).buildGit(ONE_ATTEMPT, GIT);
        RunRecord r = RunRecord.create("g", "g", git, 0);
        List<LeaseGrant> grants = r.lease("w", 3, 10, 1_000);
        r.complete(grants.get(0).phase(), grants.get(0).epoch(), Outcome.SUCCEEDED, 1, "",
                GitReport.result(commit('1'), ""), 20);
        r.complete(grants.get(1).phase(), grants.get(1).epoch(), Outcome.CONFLICT, 1, "",
                GitReport.conflict(List.of("x")), 20);

        assertThat(r.retry(Map.of("01", commit('e')), 30).invalid()).as("01 SUCCEEDED, not FAILED").isTrue();
        RetryResult retried = r.retry(Map.of("02", commit('e')), 30);

        assertThat(retried.phasesReset()).isEqualTo(2); // 02 and the blocked integration step
        assertThat(r.phase(0).resultCommit()).isEqualTo(commit('1'));
        assertThat(r.gitLease(1).resolutionCommit()).isEqualTo(commit('e'));
        assertThat(r.gitLease(git.integration()).resolutionCommit()).isEmpty();
    }
}
