package io.phasegrid.coordinator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.phasegrid.coordinator.hazelcast.ClusterSettings;
import io.phasegrid.coordinator.hazelcast.MapNames;
import io.phasegrid.coordinator.testing.TestMembers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

// alone: starting a member beside timing-sensitive lease tests (200 ms TTLs) made those flaky
@Isolated
class HazelcastMemberMetricsTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ClusterSettings settings = TestMembers.privateCluster("member-metrics");
    private final HazelcastInstance member = TestMembers.start(settings);

    @AfterEach
    void stop() {
        member.getLifecycleService().terminate();
    }

    @Test
    void exportsTheMemberCountAndThisMembersShareOfEachMap() {
        new HazelcastMemberMetrics(member).bindTo(registry);
        IMap<String, String> workers = member.getMap(MapNames.WORKERS);
        workers.set("w-1", "a");
        workers.set("w-2", "b");
        workers.get("w-1");

        String scrape = registry.scrape();

        assertThat(scrape).contains(
                "phasegrid_coordinator_members 1.0",
                "phasegrid_map_entries{map=\"phasegrid.workers\",ownership=\"owned\"} 2.0",
                "phasegrid_map_entries{map=\"phasegrid.workers\",ownership=\"backup\"} 0.0",
                "phasegrid_map_operations_total{map=\"phasegrid.workers\",operation=\"set\"} 2.0",
                "phasegrid_map_operations_total{map=\"phasegrid.workers\",operation=\"get\"} 1.0",
                "phasegrid_map_entries{map=\"phasegrid.runs\",ownership=\"owned\"} 0.0",
                "phasegrid_map_memory_bytes{map=\"phasegrid.ledger\"}",
                "phasegrid_map_operations_total{map=\"phasegrid.checkpoints\",operation=\"other\"}");
    }

    @Test
    void aStoppedMemberIsNotANumberAndDoesNotBreakTheScrape() {
        new HazelcastMemberMetrics(member).bindTo(registry);
        member.getMap(MapNames.WORKERS).set("w-1", "a");
        registry.scrape();

        member.getLifecycleService().terminate();

        assertThat(registry.scrape()).contains(
                "phasegrid_coordinator_members NaN",
                "phasegrid_map_operations_total{map=\"phasegrid.workers\",operation=\"set\"} 1.0");
    }
}
