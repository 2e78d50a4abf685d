package io.phasegrid.worker.git;

import static org.assertj.core.api.Assertions.assertThat;

import io.phasegrid.worker.executor.CommandTemplate;
import io.phasegrid.worker.executor.ExecutionListener;
import io.phasegrid.worker.executor.GitWork;
import io.phasegrid.worker.executor.PhaseOutcome;
import io.phasegrid.worker.executor.PhaseTask;
import io.phasegrid.worker.executor.SimulateExecutor;
import io.phasegrid.worker.executor.SimulateOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitIntegrationTest {

    @TempDir
    Path dir;

    private Origin origin;
    private String base;
    private String alpha;
    private String beta;

    @BeforeEach
    void setUp() throws Exception {
        origin = Origin.create(dir);
        base = origin.commit("plan", "main");
        origin.write("alpha.txt", "alpha\n");
        origin.write(".planning/STATE.md", "Status: alpha was here\n");
        alpha = origin.commit("feat(01-01): alpha", "phase-alpha");
        origin.checkout(base);
        origin.write("beta.txt", "beta\n");
        origin.write(".planning/STATE.md", "Status: beta was here\n");
        beta = origin.commit("feat(02-01): beta", "phase-beta");
    }

    private PhaseOutcome integrate(GitOptions options, boolean fastForward, GitWork.Input... inputs)
            throws Exception {
        GitWork git = new GitWork(true, origin.url(), base, List.of(inputs), "", "",
                "refs/phasegrid/run-1/integration/e1", "refs/heads/phasegrid/run-1/result", fastForward, "main", "");
        Path workspace = Files.createDirectories(dir.resolve("ws/run-1/integration/e1"));
        PhaseTask task = new PhaseTask("run-1", "integration", "integration", 1, 1, 0, List.of(), new byte[0],
                workspace, git);
        SimulateExecutor unused = new SimulateExecutor(SimulateOptions.defaults());
        return new GitWorkspaceExecutor(unused, options.allowing(List.of(origin.url())), dir.resolve("ws"))
                .execute(task, ExecutionListener.NONE);
    }

    private PhaseOutcome integrate(boolean fastForward) throws Exception {
        return integrate(GitOptions.none(), fastForward, new GitWork.Input("01", "Alpha", alpha),
                new GitWork.Input("02", "Beta", beta));
    }

    @Test
    void mergesEveryPhaseResultTicksTheirRoadmapBoxesAdvancesStateAndPushesTheResultAndEachInput()
            throws Exception {
        PhaseOutcome outcome = integrate(false);

        assertThat(outcome.status()).as(outcome.error()).isEqualTo(PhaseOutcome.Status.SUCCEEDED);
        assertThat(outcome.tokensUsed()).isZero();
        assertThat(outcome.deliveryNote()).isEmpty();
        String result = outcome.resultCommit();
        assertThat(origin.ref("refs/heads/phasegrid/run-1/result")).isEqualTo(result);
        assertThat(origin.ref("refs/heads/phasegrid/run-1/01")).isEqualTo(alpha);
        assertThat(origin.ref("refs/heads/phasegrid/run-1/02")).isEqualTo(beta);
        assertThat(origin.ref("refs/heads/main")).as("branch delivery leaves main alone").isEqualTo(base);
        assertThat(origin.files(result)).contains("alpha.txt", "beta.txt");
        assertThat(origin.subjects(result)).startsWith("docs(phasegrid): integrate run run-1")
                .contains("phasegrid: merge phase 01 Alpha", "phasegrid: merge phase 02 Beta");
        String roadmap = origin.show(result, ".planning/ROADMAP.md");
        assertThat(roadmap).contains("- [x] **Phase 1: Alpha**", "- [x] **Phase 2: Beta**", "- [ ] **Phase 3: Gamma**",
                "- [x] 01-01: Alpha plan 1", "- [x] 01-02: Alpha plan 2", "- [x] 02-01: Beta plan 1");
        assertThat(origin.show(result, ".planning/STATE.md"))
                .contains("Status: Phases 01, 02 complete (integrated by PhaseGrid run run-1)")
                .contains("Last activity: ").contains("PhaseGrid run run-1 integrated phases 01, 02");
    }

    @Test
    void aFastForwardDeliveryMovesTheBaseBranchToTheResult() throws Exception {
        PhaseOutcome outcome = integrate(true);

        assertThat(outcome.status()).as(outcome.error()).isEqualTo(PhaseOutcome.Status.SUCCEEDED);
        assertThat(origin.ref("refs/heads/main")).isEqualTo(outcome.resultCommit());
        assertThat(outcome.deliveryNote()).isEqualTo("main fast-forwarded to " + outcome.resultCommit());
    }

    @Test
    void aBaseBranchThatMovedIsNotFastForwardedAndTheNoteSaysWhatToMerge() throws Exception {
        origin.checkout(base);
        origin.write("hotfix.txt", "hotfix\n");
        String moved = origin.commit("hotfix", "main");

        PhaseOutcome outcome = integrate(true);

        assertThat(outcome.status()).as(outcome.error()).isEqualTo(PhaseOutcome.Status.SUCCEEDED);
        assertThat(origin.ref("refs/heads/main")).isEqualTo(moved);
        assertThat(origin.ref("refs/heads/phasegrid/run-1/result")).isEqualTo(outcome.resultCommit());
        assertThat(outcome.deliveryNote())
                .isEqualTo("main moved since the base: not fast-forwarded, merge phasegrid/run-1/result yourself");
    }

    @Test
    void conflictingPhaseResultsEndTheIntegrationConflictAndPushNothing() throws Exception {
        origin.checkout(base);
        origin.write("alpha.txt", "another alpha\n");
        String rival = origin.commit("rival", "rival");

        PhaseOutcome outcome = integrate(GitOptions.none(), true, new GitWork.Input("01", "Alpha", alpha),
                new GitWork.Input("03", "Rival", rival));

        assertThat(outcome.status()).isEqualTo(PhaseOutcome.Status.CONFLICT);
        assertThat(outcome.conflictPaths()).containsExactly("alpha.txt");
        assertThat(origin.ref("refs/heads/phasegrid/run-1/result")).isEmpty();
        assertThat(origin.ref("refs/heads/main")).isEqualTo(base);
    }

    @Test
    void anOperatorIntegrateCommandRunsPerPhaseInsteadAndAFailingVerifyCommandFailsTheStep() throws Exception {
        GitOptions options = new GitOptions(List.of(), Map.of(), null, Map.of(), null,
                CommandTemplate.of("/bin/sh", "-c", "echo \"$0 $1\" >> integrated.txt", "{phase}", "{phase_name}"),
                CommandTemplate.of("/bin/sh", "-c", "grep -q '02 Beta' integrated.txt && echo broken && exit 4"),
                GitOptions.DEFAULT_COMMAND_TIMEOUT);

        PhaseOutcome outcome = integrate(options, false, new GitWork.Input("01", "Alpha", alpha),
                new GitWork.Input("02", "Beta", beta));

        assertThat(outcome.status()).isEqualTo(PhaseOutcome.Status.FAILED);
        assertThat(outcome.error()).isEqualTo("verify command exited 4: broken");
        assertThat(origin.ref("refs/heads/phasegrid/run-1/result")).isEmpty();
    }
}
