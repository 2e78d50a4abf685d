package io.phasegrid.coordinator.metrics;

import static io.phasegrid.common.metrics.MetricNames.Tag;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.LocalMapStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.phasegrid.common.metrics.MetricNames;
import io.phasegrid.common.metrics.MetricNames.Ownership;
import io.phasegrid.coordinator.hazelcast.MapNames;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;

/**
 * This member's view of its Hazelcast cluster: the member count and, per PhaseGrid map, the entries and memory this
 * member holds and the operations it served ({@link LocalMapStats}, so sum over members for cluster totals).
 * Micrometer's {@code HazelcastCacheMetrics} treats a map as a cache (hits, misses); these names follow
 * {@link MetricNames} instead.
 */
public final class HazelcastMemberMetrics implements MeterBinder {

    /** The maps whose size and traffic matter for PhaseGrid's cost per phase. */
    public static final List<String> DEFAULT_MAPS = List.of(
            MapNames.RUNS, MapNames.LEDGER, MapNames.CHECKPOINTS, MapNames.WORKERS);

    private final HazelcastInstance member;
    private final List<String> maps;

    public HazelcastMemberMetrics(HazelcastInstance member) {
        this(member, DEFAULT_MAPS);
    }

    public HazelcastMemberMetrics(HazelcastInstance member, List<String> maps) {
        this.member = Objects.requireNonNull(member, "member");
        this.maps = List.copyOf(maps);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder(MetricNames.COORDINATOR_MEMBERS, this::memberCount)
                .description("Members of the coordinator cluster as this member sees it").register(registry);
        for (String name : maps) {
            // the proxy is cached by Hazelcast while the member runs, so the meters' weak references stay valid
            IMap<?, ?> map = member.getMap(name);
            entries(registry, map, Ownership.OWNED, LocalMapStats::getOwnedEntryCount);
            entries(registry, map, Ownership.BACKUP, LocalMapStats::getBackupEntryCount);
            Gauge.builder(MetricNames.MAP_MEMORY, map, m -> gaugeValue(m, LocalMapStats::getOwnedEntryMemoryCost))
                    .description("Memory cost of the entries this member owns").baseUnit(BaseUnits.BYTES)
                    .tag(Tag.MAP, name).register(registry);
            operations(registry, map, "get", LocalMapStats::getGetOperationCount);
            operations(registry, map, "put", LocalMapStats::getPutOperationCount);
            operations(registry, map, "set", LocalMapStats::getSetOperationCount);
            operations(registry, map, "remove", LocalMapStats::getRemoveOperationCount);
            // entry processors, getAll, executeOnEntries and the like
            operations(registry, map, "other", LocalMapStats::getOtherOperationCount);
        }
    }

    private double memberCount() {
        try {
            return member.getLifecycleService().isRunning() ? member.getCluster().getMembers().size() : Double.NaN;
        } catch (RuntimeException stopping) {
            return Double.NaN;
        }
    }

    private void entries(MeterRegistry registry, IMap<?, ?> map, String ownership,
            ToLongFunction<LocalMapStats> stat) {
        Gauge.builder(MetricNames.MAP_ENTRIES, map, m -> gaugeValue(m, stat))
                .description("Entries of the map held by this member")
                .tags(Tag.MAP, map.getName(), Tag.OWNERSHIP, ownership).register(registry);
    }

    private void operations(MeterRegistry registry, IMap<?, ?> map, String operation,
            ToLongFunction<LocalMapStats> stat) {
        AtomicLong last = new AtomicLong();
        FunctionCounter.builder(MetricNames.MAP_OPERATIONS, map, m -> counterValue(m, stat, last))
                .description("Map operations served by this member")
                .tags(Tag.MAP, map.getName(), Tag.OPERATION, operation).register(registry);
    }

    private double gaugeValue(IMap<?, ?> map, ToLongFunction<LocalMapStats> stat) {
        try {
            return member.getLifecycleService().isRunning() ? stat.applyAsLong(map.getLocalMapStats()) : Double.NaN;
        } catch (RuntimeException stopping) {
            return Double.NaN;
        }
    }

    // a counter must not go back to 0 (or NaN) when the member stops: keep the last value read
    private double counterValue(IMap<?, ?> map, ToLongFunction<LocalMapStats> stat, AtomicLong last) {
        try {
            if (member.getLifecycleService().isRunning()) {
                return last.accumulateAndGet(stat.applyAsLong(map.getLocalMapStats()), Math::max);
            }
        } catch (RuntimeException stopping) {
            // fall through
        }
        return last.get();
    }
}
