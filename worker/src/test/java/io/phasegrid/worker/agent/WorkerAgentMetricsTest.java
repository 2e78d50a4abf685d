package io.phasegrid.worker.agent;

import static io.phasegrid.worker.agent.ScriptedCoordinator.lease;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.phasegrid.common.metrics.MetricNames;
import io.phasegrid.proto.v1.Outcome;
import io.phasegrid.worker.executor.PhaseExecutor;
import io.phasegrid.worker.executor.PhaseOutcome;
import io.phasegrid.worker.metrics.WorkerMetrics;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The agent records its slots, executed attempts and reconnects in the {@link WorkerMetrics} of its options. */
@Timeout(120)
class WorkerAgentMetricsTest {

    private static final Duration LONG = Duration.ofSeconds(20);

    @TempDir
    Path workspaces;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private ScriptedCoordinator coordinator;
    private WorkerAgent agent;

    @AfterEach
    void stopEverything() throws Exception {
        if (agent != null) {
            agent.drain(Duration.ZERO);
        }
        if (coordinator != null) {
            coordinator.close();
        }
        registry.close();
    }

    private WorkerAgent start(String name, int slots, PhaseExecutor executor) {
        WorkerOptions options = WorkerOptions.builder()
                .name(name)
                .slots(slots)
                .coordinators(coordinator.addresses().subList(0, 1))
                .pollWait(Duration.ofMillis(200))
                .rpcTimeout(Duration.ofSeconds(2))
                .reconnectBackoff(new Backoff(Duration.ofMillis(50), 2.0, Duration.ofMillis(500), 0.2))
                .drainGrace(Duration.ofSeconds(5))
                .workspaceRoot(workspaces)
                .metrics(new WorkerMetrics(registry))
                .build();
        agent = new WorkerAgent(options, executor).start();
        return agent;
    }

    private double phases(String outcome) {
        return registry.get(MetricNames.AGENT_PHASES).tag(MetricNames.Tag.OUTCOME, outcome).counter().count();
    }

    private double gauge(String name) {
        return registry.get(name).gauge().value();
    }

    private double reconnects() {
        return registry.get(MetricNames.AGENT_RECONNECTS).counter().count();
    }

    @Test
    void countsExecutedAttemptsByOutcomeAndReadsItsBusySlots() {
        coordinator = ScriptedCoordinator.start(1);
        TestExecutors.Gated gated = new TestExecutors.Gated();
        PhaseExecutor executor = (task, listener) -> task.phaseKey().equals("09")
                ? PhaseOutcome.failed(0, "broken on purpose")
                : gated.execute(task, listener);
        coordinator.offer(lease("07", 100), lease("08", 100));

        start("metrics", 3, executor);

        assertThat(gauge(MetricNames.AGENT_SLOTS)).isEqualTo(3);
        await().atMost(LONG).until(() -> gauge(MetricNames.AGENT_SLOTS_BUSY) == 2);
        assertThat(phases("succeeded")).isZero();

        gated.open("07");
        gated.open("08");
        await().atMost(LONG).until(() -> coordinator.completions.size() == 2);
        coordinator.offer(lease("09", 100));
        await().atMost(LONG).until(() -> coordinator.completions.size() == 3);

        assertThat(coordinator.completionsOf("09")).singleElement()
                .satisfies(c -> assertThat(c.getOutcome()).isEqualTo(Outcome.OUTCOME_FAILED));
        // counted before the completion is queued, so the coordinator never sees a report the metrics miss
        assertThat(phases("succeeded")).isEqualTo(2);
        assertThat(phases("failed")).isEqualTo(1);
        assertThat(phases("abandoned")).isZero();
        assertThat(registry.get(MetricNames.AGENT_PHASE_DURATION).timer().count()).isEqualTo(3);
        assertThat(gauge(MetricNames.AGENT_SLOTS_BUSY)).isZero();
        assertThat(gauge(MetricNames.AGENT_SLOTS)).isEqualTo(3);
        assertThat(reconnects()).as("the first registration is no reconnect").isZero();
        assertThat(registry.scrape()).contains(
                "phasegrid_agent_phases_total{outcome=\"succeeded\"} 2.0",
                "phasegrid_agent_phases_total{outcome=\"failed\"} 1.0",
                "phasegrid_agent_slots 3.0",
                "phasegrid_agent_slots_busy 0.0");
    }

    @Test
    void countsAReconnectWhenTheCoordinatorComesBackAndIsConnectedOnlyWhileRegistered() throws Exception {
        coordinator = ScriptedCoordinator.start(1);
        start("reconnect", 1, new TestExecutors.Gated());
        await().atMost(LONG).until(() -> agent.connected());
        assertThat(reconnects()).isZero();

        coordinator.stop(0);
        await().atMost(LONG).until(() -> !agent.connected());
        assertThat(reconnects()).as("lost, not back yet").isZero();
        coordinator.restart(0);

        await().atMost(LONG).until(() -> agent.connected() && coordinator.registrations.size() >= 2);
        await().atMost(LONG).untilAsserted(() ->
                assertThat(reconnects()).isEqualTo(coordinator.registrations.size() - 1));
        assertThat(reconnects()).isEqualTo(1);

        agent.close();

        assertThat(agent.connected()).as("closed").isFalse();
    }
}
