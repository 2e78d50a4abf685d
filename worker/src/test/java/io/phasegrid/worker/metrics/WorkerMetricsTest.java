package io.phasegrid.worker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.phasegrid.common.metrics.MetricNames;
import io.phasegrid.worker.executor.PhaseOutcome;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class WorkerMetricsTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final WorkerMetrics metrics = new WorkerMetrics(registry);

    @Test
    void slotsAreTheConfiguredTotalAndTheBusyCountReadAtScrape() {
        AtomicInteger busy = new AtomicInteger(1);
        metrics.bindSlots(4, busy::get);

        assertThat(registry.scrape()).contains("phasegrid_agent_slots 4.0", "phasegrid_agent_slots_busy 1.0");

        busy.set(3);

        assertThat(registry.scrape()).contains("phasegrid_agent_slots_busy 3.0");
    }

    @Test
    void executedAttemptsAreCountedByOutcomeWithEveryOutcomePresentFromTheStart() {
        metrics.phaseExecuted(PhaseOutcome.Status.SUCCEEDED, 1_500);
        metrics.phaseExecuted(PhaseOutcome.Status.FAILED, 20);

        assertThat(registry.scrape()).contains(
                "phasegrid_agent_phases_total{outcome=\"succeeded\"} 1.0",
                "phasegrid_agent_phases_total{outcome=\"failed\"} 1.0",
                "phasegrid_agent_phases_total{outcome=\"abandoned\"} 0.0");
    }

    @Test
    void attemptDurationIsAHistogramFromMillisecondsToHours() {
        metrics.phaseExecuted(PhaseOutcome.Status.SUCCEEDED, 4);
        metrics.phaseExecuted(PhaseOutcome.Status.SUCCEEDED, 3 * 3600 * 1000);

        assertThat(registry.scrape()).contains(
                "# TYPE phasegrid_agent_phase_duration_seconds histogram",
                "phasegrid_agent_phase_duration_seconds_bucket{le=\"0.005\"} 1",
                "phasegrid_agent_phase_duration_seconds_bucket{le=\"7200.0\"} 1",
                "phasegrid_agent_phase_duration_seconds_bucket{le=\"14400.0\"} 2",
                "phasegrid_agent_phase_duration_seconds_count 2");
    }

    @Test
    void reconnectsAreCounted() {
        metrics.reconnected();
        metrics.reconnected();

        assertThat(registry.scrape()).contains("phasegrid_agent_reconnects_total 2.0");
    }

    @Test
    void everyExportedNameIsInTheCatalogueAndNoneCarriesAWorkerTag() {
        metrics.bindSlots(2, () -> 0);
        metrics.phaseExecuted(PhaseOutcome.Status.ABANDONED, 5);

        String scrape = registry.scrape();

        assertThat(MetricNames.scrapedNames()).containsAll(seriesIn(scrape));
        assertThat(scrape).doesNotContain("worker=");
    }

    private static Set<String> seriesIn(String scrape) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = Pattern.compile("^([a-z_:][a-z0-9_:]*)[{ ]", Pattern.MULTILINE).matcher(scrape);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }
}
