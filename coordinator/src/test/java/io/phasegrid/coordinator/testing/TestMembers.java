package io.phasegrid.coordinator.testing;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.phasegrid.common.testing.FreePorts;
import io.phasegrid.coordinator.hazelcast.ClusterSettings;
import io.phasegrid.coordinator.hazelcast.MemberConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;

/**
 * Real Hazelcast members for tests, configured as production does ({@link MemberConfigFactory}): loopback, a
 * cluster name of their own and a free port, so test classes running in parallel never join each other.
 */
public final class TestMembers {

    private TestMembers() {
    }

    /** Settings for a new, private cluster on loopback. */
    public static ClusterSettings privateCluster(String testName) {
        return ClusterSettings.builder()
                .clusterName(testName + "-" + UUID.randomUUID())
                .port(freePort())
                .portAutoIncrement(true)
                .build();
    }

    public static HazelcastInstance start(ClusterSettings settings) {
        return Hazelcast.newHazelcastInstance(MemberConfigFactory.create(settings));
    }

    /**
     * A second member joining the first one's cluster; returns once partitions have migrated to it and every backup
     * is in sync (a write racing a migration could otherwise miss its backup until anti-entropy repairs it).
     * {@code isClusterSafe} alone is not enough: it is already true in the moment after the join, before the
     * rebalancing that gives the new member its partitions has started (TokenLedgerTest lost a budget that way).
     */
    public static HazelcastInstance join(ClusterSettings first) {
        ClusterSettings second = ClusterSettings.builder()
                .clusterName(first.clusterName())
                .port(freePort())
                .members(List.of(first.bindAddress() + ":" + first.port()))
                .build();
        HazelcastInstance member = start(second);
        Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> member.getCluster().getMembers().size() >= 2
                        && member.getPartitionService().getPartitions().stream()
                                .anyMatch(p -> p.getOwner() != null && p.getOwner().localMember())
                        && member.getPartitionService().isClusterSafe());
        return member;
    }

    public static int freePort() {
        return FreePorts.take();
    }
}
