package io.phasegrid.bench.driver;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.LocalMapStats;
import io.phasegrid.coordinator.hazelcast.MapNames;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hazelcast operations of the member: {@code operations} is the member's executed-operation count (every map
 * call, entry processors included, plus Hazelcast's own; the raw floor calibrates it against the driver's known
 * calls), and per coordinator map the {@link LocalMapStats} counts: "other" operations, gets, and writes
 * (put/set/remove; an entry processor that calls {@code setValue} is counted here as a set).
 */
record MapOps(Map<String, Long> entryProcessors, Map<String, Long> reads, Map<String, Long> writes,
        long operations) {

    static final List<String> MAPS = List.of(MapNames.RUNS, MapNames.LEDGER, MapNames.RUN_META, MapNames.WORKERS,
            MapNames.CHECKPOINTS, MapNames.SUBMISSIONS);

    static MapOps read(HazelcastInstance hz) {
        Map<String, Long> ep = new LinkedHashMap<>();
        Map<String, Long> reads = new LinkedHashMap<>();
        Map<String, Long> writes = new LinkedHashMap<>();
        for (String name : MAPS) {
            LocalMapStats s = hz.getMap(name).getLocalMapStats();
            ep.put(name, s.getOtherOperationCount());
            reads.put(name, s.getGetOperationCount());
            writes.put(name, s.getPutOperationCount() + s.getSetOperationCount() + s.getRemoveOperationCount());
        }
        var impl = ((com.hazelcast.instance.impl.HazelcastInstanceProxy) hz).getOriginal();
        long ops = ((com.hazelcast.spi.impl.operationservice.impl.OperationServiceImpl)
                impl.node.getNodeEngine().getOperationService()).getExecutedOperationCount();
        return new MapOps(ep, reads, writes, ops);
    }

    MapOps minus(MapOps before) {
        return new MapOps(diff(entryProcessors, before.entryProcessors), diff(reads, before.reads),
                diff(writes, before.writes), operations - before.operations);
    }

    long ep(String map) {
        return entryProcessors.getOrDefault(map, 0L);
    }

    /** Entry processor calls and other map operations executed by the member. */
    long totalEntryProcessors() {
        return operations;
    }

    long totalReadsWrites() {
        return reads.values().stream().mapToLong(Long::longValue).sum()
                + writes.values().stream().mapToLong(Long::longValue).sum();
    }

    private static Map<String, Long> diff(Map<String, Long> a, Map<String, Long> b) {
        Map<String, Long> out = new LinkedHashMap<>();
        a.forEach((k, v) -> out.put(k, v - b.getOrDefault(k, 0L)));
        return out;
    }
}
