package io.phasegrid.coordinator.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.phasegrid.coordinator.run.Outcome;
import io.phasegrid.coordinator.run.PhaseState;
import io.phasegrid.coordinator.run.store.PhaseReport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ReportBatcherTest {

    private static PhaseReport report(String key) {
        return new PhaseReport(key, 1, Outcome.SUCCEEDED, 1, "", "w");
    }

    @Test
    void reportsThatArriveWhileABatchIsAppliedFormTheNextBatchInArrivalOrder() throws Exception {
        CountDownLatch firstApplying = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<List<String>> batches = new CopyOnWriteArrayList<>();
        ReportBatcher batcher = new ReportBatcher((run, batch) -> {
            batches.add(batch.stream().map(p -> p.report().key()).toList());
            firstApplying.countDown();
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            batch.forEach(p -> p.answer().complete(PhaseState.SUCCEEDED));
        }, 2);
        try {
            List<CompletableFuture<PhaseState>> answers = new ArrayList<>();
            answers.add(batcher.submit("r", report("first")));
            assertThat(firstApplying.await(5, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 5; i++) {
                answers.add(batcher.submit("r", report("later-" + i)));
            }
            release.countDown();

            for (CompletableFuture<PhaseState> answer : answers) {
                assertThat(answer.get(5, TimeUnit.SECONDS)).isEqualTo(PhaseState.SUCCEEDED);
            }
            assertThat(batches).containsExactly(List.of("first"),
                    List.of("later-0", "later-1", "later-2", "later-3", "later-4"));
        } finally {
            batcher.close();
        }
    }

    @Test
    void aFailingBatchFailsEveryAnswerInItAndLaterBatchesStillRun() throws Exception {
        List<String> applied = new CopyOnWriteArrayList<>();
        ReportBatcher batcher = new ReportBatcher((run, batch) -> {
            if (batch.get(0).report().key().equals("boom")) {
                throw new IllegalStateException("member left");
            }
            batch.forEach(p -> {
                applied.add(p.report().key());
                p.answer().complete(PhaseState.SUCCEEDED);
            });
        }, 1);
        try {
            CompletableFuture<PhaseState> failed = batcher.submit("r", report("boom"));
            assertThatThrownBy(() -> failed.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class);

            assertThat(batcher.submit("r", report("after")).get(5, TimeUnit.SECONDS)).isEqualTo(PhaseState.SUCCEEDED);
            assertThat(applied).containsExactly("after");
        } finally {
            batcher.close();
        }
    }
}
