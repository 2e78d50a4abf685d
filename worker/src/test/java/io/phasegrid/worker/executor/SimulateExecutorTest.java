package io.phasegrid.worker.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class SimulateExecutorTest {

    @TempDir
    Path workspace;

    private static SimulateExecutor instant() {
        return new SimulateExecutor(SimulateOptions.builder().timeScale(0).build());
    }

    @Test
    void withTimeScaleZeroItIsInstantAndChargesTheEstimate() throws Exception {
        RecordingListener listener = new RecordingListener();

        PhaseOutcome outcome = instant().execute(Tasks.task(workspace, 1_000_000_000L, "07-01"), listener);

        assertThat(outcome).isEqualTo(PhaseOutcome.succeeded(1_000_000_000L));
    }

    @Test
    void aPhaseWithoutPlansIsOneUnitChargedTheEstimateAndNotCheckpointed() throws Exception {
        RecordingListener listener = new RecordingListener();

        PhaseOutcome outcome = instant().execute(Tasks.task(workspace, 500), listener);

        assertThat(outcome).isEqualTo(PhaseOutcome.succeeded(500));
        assertThat(listener.checkpoints).isEmpty();
    }

    @Test
    void checkpointsAfterEachPlanWithTheTokensSoFar() throws Exception {
        RecordingListener listener = new RecordingListener();

        PhaseOutcome outcome = instant().execute(Tasks.task(workspace, 10, "07-01", "07-02", "07-03"), listener);

        assertThat(outcome).isEqualTo(PhaseOutcome.succeeded(10));
        assertThat(listener.planIds()).containsExactly("07-01", "07-02", "07-03");
        assertThat(listener.tokens()).containsExactly(4L, 7L, 10L);
    }

    @Test
    void resumesFromTheCheckpointSkippingCompletedPlansAndChargingOnlyThePlansItRan() throws Exception {
        PhaseTask first = Tasks.task(workspace, 10, "07-01", "07-02", "07-03");
        PhaseTask resumed = Tasks.withPlansCompleted(first, "07-01", "07-02");
        RecordingListener listener = new RecordingListener();

        PhaseOutcome outcome = instant().execute(resumed, listener);

        assertThat(listener.planIds()).containsExactly("07-03");
        assertThat(outcome).isEqualTo(PhaseOutcome.succeeded(3));
    }

    @Test
    void passesTheCheckpointBlobThrough() throws Exception {
        PhaseTask task = new PhaseTask("r", "07", "n", 2, 3, 10, Tasks.task(workspace, 10, "07-01").plans(),
                new byte[] {7, 8}, workspace);
        RecordingListener listener = new RecordingListener();

        instant().execute(task, listener);

        assertThat(listener.checkpoints.get(0).blob()).containsExactly(7, 8);
    }

    @Test
    void failsTheChosenPhasesOnEveryAttempt() throws Exception {
        SimulateExecutor executor = new SimulateExecutor(SimulateOptions.builder()
                .timeScale(0).failPhaseKeys(Set.of("07")).build());
        PhaseTask task = Tasks.task(workspace, 10, "07-01");

        PhaseOutcome outcome = executor.execute(task, new RecordingListener());
        PhaseOutcome retried = executor.execute(Tasks.withPlansCompleted(task), new RecordingListener());

        assertThat(outcome.status()).isEqualTo(PhaseOutcome.Status.FAILED);
        assertThat(outcome.error()).contains("simulated failure", "07");
        assertThat(retried.status()).isEqualTo(PhaseOutcome.Status.FAILED);
    }

    @Test
    void failsTheChosenPhasesOnlyOnTheirFirstAttemptsWhenToldSoSoThatARetrySucceeds() throws Exception {
        SimulateExecutor executor = new SimulateExecutor(SimulateOptions.builder()
                .timeScale(0).failPhaseKeys(Set.of("07")).failAttempts(1).build());
        PhaseTask task = Tasks.task(workspace, 10, "07-01");

        PhaseOutcome first = executor.execute(task, new RecordingListener());
        PhaseOutcome second = executor.execute(Tasks.withPlansCompleted(task), new RecordingListener());

        assertThat(first.status()).isEqualTo(PhaseOutcome.Status.FAILED);
        assertThat(second).isEqualTo(PhaseOutcome.succeeded(10));
    }

    @Test
    void otherPhasesAreNotFailed() throws Exception {
        SimulateExecutor executor = new SimulateExecutor(SimulateOptions.builder()
                .timeScale(0).failPhaseKeys(Set.of("08")).build());

        assertThat(executor.execute(Tasks.task(workspace, 10, "07-01"), new RecordingListener()))
                .isEqualTo(PhaseOutcome.succeeded(10));
    }

    @Test
    void aCancelledPhaseIsAbandonedWithTheTokensOfThePlansFinished() throws Exception {
        // 1,000,000 ms per 1,000 tokens: the first plan would sleep for ages
        SimulateExecutor executor = new SimulateExecutor(SimulateOptions.builder().timeScale(1_000_000).build());
        RecordingListener listener = new RecordingListener();
        listener.cancel.set(true);

        PhaseOutcome outcome = executor.execute(Tasks.task(workspace, 10, "07-01"), listener);

        assertThat(outcome).isEqualTo(PhaseOutcome.abandoned(0));
    }

    @Test
    void anInterruptStopsTheSleepPromptly() throws Exception {
        SimulateExecutor executor = new SimulateExecutor(SimulateOptions.builder().timeScale(1_000_000).build());
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            Future<PhaseOutcome> running = thread.submit(
                    () -> executor.execute(Tasks.task(workspace, 10_000, "07-01"), new RecordingListener()));
            Thread.sleep(200);

            running.cancel(true);

            thread.shutdown();
            assertThat(thread.awaitTermination(10, TimeUnit.SECONDS)).as("the executing thread ended").isTrue();
        } finally {
            thread.shutdownNow();
        }
    }

    @Test
    void sleepsTheEstimateTimesTheTimeScale() throws Exception {
        // 100 ms per 1,000 tokens x 3,000 tokens = 300 ms at least
        SimulateExecutor executor = new SimulateExecutor(SimulateOptions.builder().timeScale(100).build());
        long start = System.nanoTime();

        executor.execute(Tasks.task(workspace, 3_000, "07-01", "07-02"), new RecordingListener());

        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(300);
    }

    @Test
    void optionsAreValidatedAndDefaulted() {
        SimulateOptions defaults = SimulateOptions.defaults();

        assertThat(defaults.timeScale()).isEqualTo(SimulateOptions.DEFAULT_TIME_SCALE);
        assertThat(defaults.failPhaseKeys()).isEmpty();
        assertThat(defaults.failAttempts()).isZero();
        assertThatThrownBy(() -> SimulateOptions.builder().timeScale(-1).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SimulateOptions.builder().timeScale(Double.NaN).build())
                .isInstanceOf(IllegalArgumentException.class);
    }
}
