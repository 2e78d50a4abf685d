package io.phasegrid.worker.agent;

import static io.phasegrid.worker.agent.ScriptedCoordinator.lease;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.phasegrid.proto.v1.CompletePhaseRequest;
import io.phasegrid.proto.v1.Outcome;
import io.phasegrid.worker.executor.ExecutionListener;
import io.phasegrid.worker.executor.PhaseExecutor;
import io.phasegrid.worker.executor.PhaseOutcome;
import io.phasegrid.worker.executor.PhaseTask;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The git fields of an executor's reports reach the coordinator; a result is published only once accepted. */
@Timeout(60)
class GitReportsTest {

    private static final Duration LONG = Duration.ofSeconds(20);
    private static final String CHECKPOINT = "1".repeat(40);
    private static final String RESULT = "2".repeat(40);

    @TempDir
    Path workspaces;

    private ScriptedCoordinator coordinator;
    private WorkerAgent agent;
    private final Set<String> published = ConcurrentHashMap.newKeySet();

    /** "07" checkpoints a commit and succeeds with a result; "08" conflicts; "09" succeeds but is refused. */
    private final PhaseExecutor gitLike = new PhaseExecutor() {
        @Override
        public PhaseOutcome execute(PhaseTask task, ExecutionListener listener) {
            if (task.phaseKey().equals("08")) {
                return PhaseOutcome.conflict(List.of("src/b.txt", "a.txt"));
            }
            listener.planCompleted(task.phaseKey() + "-01", new byte[0], 5, CHECKPOINT);
            return PhaseOutcome.succeeded(5, RESULT, "main fast-forwarded to " + RESULT,
                    () -> published.add(task.phaseKey()));
        }
    };

    @BeforeEach
    void start() {
        coordinator = ScriptedCoordinator.start(1);
        coordinator.refuseCompletionsAsStale(c -> c.getLease().getPhaseKey().equals("09"));
        agent = new WorkerAgent(WorkerOptions.builder().name("git").slots(2)
                .coordinators(coordinator.addresses())
                .pollWait(Duration.ofMillis(200))
                .rpcTimeout(Duration.ofSeconds(2))
                .workspaceRoot(workspaces)
                .build(), gitLike).start();
    }

    @AfterEach
    void stop() throws Exception {
        agent.drain(Duration.ZERO);
        coordinator.close();
    }

    private CompletePhaseRequest completion(String key) {
        await().atMost(LONG).until(() -> !coordinator.completionsOf(key).isEmpty());
        return coordinator.completionsOf(key).get(0);
    }

    @Test
    void checkpointCommitResultCommitAndDeliveryNoteAreReportedAndTheResultPublishedOnceAccepted() {
        coordinator.offer(lease("07", 10, "07-01"));

        CompletePhaseRequest done = completion("07");

        assertThat(coordinator.checkpointsOf("07")).singleElement()
                .satisfies(c -> assertThat(c.getCommit()).isEqualTo(CHECKPOINT));
        assertThat(done.getOutcome()).isEqualTo(Outcome.OUTCOME_SUCCEEDED);
        assertThat(done.getResultCommit()).isEqualTo(RESULT);
        assertThat(done.getDeliveryNote()).isEqualTo("main fast-forwarded to " + RESULT);
        await().atMost(LONG).until(() -> published.contains("07"));
    }

    @Test
    void aConflictIsReportedWithItsSortedPathsAndZeroTokens() {
        coordinator.offer(lease("08", 10, "08-01"));

        CompletePhaseRequest done = completion("08");

        assertThat(done.getOutcome()).isEqualTo(Outcome.OUTCOME_CONFLICT);
        assertThat(done.getConflictPathsList()).containsExactly("a.txt", "src/b.txt");
        assertThat(done.getError()).isEqualTo("conflict: a.txt, src/b.txt");
        assertThat(done.getTokensUsed()).isZero();
        assertThat(done.getResultCommit()).isEmpty();
    }

    @Test
    void aResultWhoseCompletionIsRefusedIsNeverPublished() throws Exception {
        coordinator.offer(lease("09", 10, "09-01"), lease("07", 10, "07-01"));

        completion("09");
        completion("07");
        await().atMost(LONG).until(() -> published.contains("07"));

        assertThat(published).doesNotContain("09");
    }
}
