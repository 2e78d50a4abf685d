package io.phasegrid.coordinator.periodic;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class PeriodicTaskTest {

    @Test
    void aPassThatThrowsDoesNotStopTheNextOnes() {
        AtomicInteger passes = new AtomicInteger();
        try (PeriodicTask task = new PeriodicTask("test-periodic", 5, () -> {
            if (passes.incrementAndGet() == 1) {
                throw new IllegalStateException("the first pass fails");
            }
        }, LoggerFactory.getLogger(PeriodicTaskTest.class), "test pass failed (expected)")) {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> passes.get() >= 3);
        }
    }

    @Test
    void noPeriodSchedulesNothingAndCloseStopsTheThread() throws Exception {
        AtomicInteger passes = new AtomicInteger();
        PeriodicTask idle = new PeriodicTask("test-idle", 0, passes::incrementAndGet,
                LoggerFactory.getLogger(PeriodicTaskTest.class), "unused");
        idle.close();
        assertThat(passes).hasValue(0);

        PeriodicTask running = new PeriodicTask("test-running", 1, passes::incrementAndGet,
                LoggerFactory.getLogger(PeriodicTaskTest.class), "unused");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> passes.get() > 0);
        running.close();
        int afterClose = passes.get();
        Thread.sleep(50);
        assertThat(passes).as("no pass after close").hasValue(afterClose);
    }
}
