package io.phasegrid.worker.agent;

import static io.phasegrid.worker.agent.ScriptedCoordinator.lease;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.phasegrid.common.logging.LogFields;
import io.phasegrid.proto.v1.Lease;
import io.phasegrid.worker.executor.SimulateExecutor;
import io.phasegrid.worker.executor.SimulateOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** Every log line a worker writes about a phase carries the phase's run, key, attempt, worker and lease epoch. */
@Timeout(120)
class PhaseLogContextTest {

    private static final Duration LONG = Duration.ofSeconds(20);

    @TempDir
    Path workspaces;

    private final Logger agentLogger = (Logger) LoggerFactory.getLogger(WorkerAgent.class);
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private ScriptedCoordinator coordinator;
    private WorkerAgent agent;

    @BeforeEach
    void captureTheAgentsLogs() {
        logs.start();
        agentLogger.addAppender(logs);
    }

    @AfterEach
    void stop() throws Exception {
        if (agent != null) {
            agent.drain(Duration.ZERO);
        }
        if (coordinator != null) {
            coordinator.close();
        }
        agentLogger.detachAppender(logs);
    }

    /** The lines of this test's agent (agents of other test classes log to the same logger) naming the phase. */
    private List<ILoggingEvent> linesAbout(String worker, String phaseKey) {
        return logs.list.stream()
                .filter(e -> e.getFormattedMessage().startsWith("worker " + worker + ":"))
                .filter(e -> e.getFormattedMessage().contains("phase " + phaseKey + " "))
                .toList();
    }

    private WorkerAgent start(String name, int slots) {
        agent = new WorkerAgent(WorkerOptions.builder()
                .name(name)
                .slots(slots)
                .coordinators(coordinator.addresses())
                .pollWait(Duration.ofMillis(200))
                .rpcTimeout(Duration.ofSeconds(2))
                .drainGrace(Duration.ofSeconds(5))
                .workspaceRoot(workspaces)
                .build(), new SimulateExecutor(SimulateOptions.builder().timeScale(0).build()));
        return agent.start();
    }

    @Test
    void linesOnTheSlotAndReporterThreadsCarryTheLeasesFields() {
        coordinator = ScriptedCoordinator.start(1);
        // the refused completion makes the reporter thread log about the phase too
        coordinator.refuseCompletionsAsStale(c -> c.getLease().getPhaseKey().equals("07"));
        Lease retry = lease("07", 100).toBuilder().setRunId("run-logs").setAttempt(2).setEpoch(5).build();
        coordinator.offer(retry);

        start("logs", 1);

        await().atMost(LONG).until(() -> linesAbout("logs", "07").stream()
                .anyMatch(e -> e.getFormattedMessage().contains("refused (stale lease)")));
        List<ILoggingEvent> lines = linesAbout("logs", "07");
        assertThat(lines).extracting(ILoggingEvent::getThreadName)
                .anyMatch(t -> t.contains("-slot-"))
                .anyMatch(t -> t.contains("-reporter-"));
        assertThat(lines).allSatisfy(line -> assertThat(line.getMDCPropertyMap()).containsAllEntriesOf(Map.of(
                LogFields.RUN, "run-logs",
                LogFields.PHASE, "07",
                LogFields.ATTEMPT, "2",
                LogFields.WORKER, "logs",
                LogFields.EPOCH, "5")));
    }

    @Test
    void aLostLeaseIsLoggedWithItsFields() {
        coordinator = ScriptedCoordinator.start(1);
        TestExecutors.Gated gated = new TestExecutors.Gated();
        coordinator.offer(lease("08", 100).toBuilder().setEpoch(3).build());
        agent = new WorkerAgent(WorkerOptions.builder()
                .name("lost-logs")
                .slots(1)
                .coordinators(coordinator.addresses())
                .pollWait(Duration.ofMillis(200))
                .rpcTimeout(Duration.ofSeconds(2))
                .drainGrace(Duration.ofSeconds(5))
                .workspaceRoot(workspaces)
                .build(), gated).start();
        await().atMost(LONG).until(() -> agent.busySlots() == 1);

        coordinator.loseLease("08");

        await().atMost(LONG).until(() -> linesAbout("lost-logs", "08").stream()
                .anyMatch(e -> e.getFormattedMessage().contains("lost")));
        // the heartbeat thread or the slot's own fencing notices it first: either way the line carries the fields
        assertThat(linesAbout("lost-logs", "08")).allSatisfy(line -> assertThat(line.getMDCPropertyMap())
                .containsEntry(LogFields.RUN, "run-1").containsEntry(LogFields.PHASE, "08")
                .containsEntry(LogFields.ATTEMPT, "1").containsEntry(LogFields.WORKER, "lost-logs")
                .containsEntry(LogFields.EPOCH, "3"));
    }

    @Test
    void closingAContextRestoresWhatTheThreadHadBefore() {
        MDC.put(LogFields.RUN, "outer");
        try {
            try (PhaseLogContext context = PhaseLogContext.open(lease("09", 1), "w")) {
                assertThat(MDC.get(LogFields.RUN)).isEqualTo("run-1");
                assertThat(MDC.get(LogFields.PHASE)).isEqualTo("09");
            }
            assertThat(MDC.get(LogFields.RUN)).isEqualTo("outer");
            assertThat(MDC.get(LogFields.PHASE)).isNull();
        } finally {
            MDC.remove(LogFields.RUN);
        }
    }
}
