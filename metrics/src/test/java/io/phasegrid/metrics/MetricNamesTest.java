package io.phasegrid.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.phasegrid.common.metrics.Buckets;
import io.phasegrid.common.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MetricNamesTest {

    private static final Pattern SERIES = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]", Pattern.MULTILINE);

    @Test
    void everyNameIsPrefixedAndDottedLowerCase() {
        assertThat(MetricNames.all().keySet()).allSatisfy(name -> assertThat(name).matches("phasegrid(\\.[a-z]+)+"));
    }

    @Test
    void theScrapedNamesAreWhatPrometheusReallyShowsForEachKind() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MetricNames.all().forEach((name, kind) -> register(registry, name, kind));

        assertThat(seriesIn(registry.scrape())).isEqualTo(MetricNames.scrapedNames());
    }

    @Test
    void counterTimerAndHistogramSuffixesFollowThePrometheusConventions() {
        assertThat(MetricNames.scrapedNames()).contains(
                "phasegrid_leases_granted_total",
                "phasegrid_phase_duration_seconds_bucket",
                "phasegrid_phase_schedule_to_start_seconds_bucket",
                "phasegrid_ready_oldest_age_seconds",
                "phasegrid_run_max_parallelism_bucket",
                "phasegrid_grpc_server_call_duration_seconds_count",
                "phasegrid_map_memory_bytes",
                "phasegrid_worker_slots_busy");
    }

    static Set<String> seriesIn(String scrape) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = SERIES.matcher(scrape);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    private static void register(MeterRegistry registry, String name, MetricNames.Kind kind) {
        switch (kind) {
            case COUNTER -> Counter.builder(name).register(registry);
            case GAUGE -> Gauge.builder(name, () -> 1).register(registry);
            case TIME_GAUGE -> TimeGauge.builder(name, () -> 1, TimeUnit.MILLISECONDS).register(registry);
            case BYTES_GAUGE -> Gauge.builder(name, () -> 1).baseUnit(BaseUnits.BYTES).register(registry);
            case HISTOGRAM_TIMER -> Timer.builder(name).serviceLevelObjectives(Buckets.PHASE_DURATION)
                    .register(registry);
            case TIMER -> Timer.builder(name).register(registry);
            case HISTOGRAM -> DistributionSummary.builder(name).serviceLevelObjectives(Buckets.PARALLELISM)
                    .register(registry);
        }
    }
}
