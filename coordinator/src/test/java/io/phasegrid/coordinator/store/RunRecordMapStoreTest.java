package io.phasegrid.coordinator.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.internal.serialization.SerializationService;
import com.hazelcast.spi.impl.SerializationServiceSupport;
import io.phasegrid.common.testing.PostgresServer;
import io.phasegrid.coordinator.hazelcast.ClusterSettings;
import io.phasegrid.coordinator.hazelcast.MapNames;
import io.phasegrid.coordinator.hazelcast.MemberConfigFactory;
import io.phasegrid.coordinator.run.LeaseGrant;
import io.phasegrid.coordinator.run.Outcome;
import io.phasegrid.coordinator.run.PhaseState;
import io.phasegrid.coordinator.run.RunBlueprint;
import io.phasegrid.coordinator.run.RunRecord;
import io.phasegrid.coordinator.run.RunSettings;
import io.phasegrid.coordinator.run.store.LeaseBatch;
import io.phasegrid.coordinator.run.store.PhaseReport;
import io.phasegrid.coordinator.run.store.RunStore;
import io.phasegrid.coordinator.testing.TestMembers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The runs map in parts: a store writes the header and the parts that changed since this member's last store of the
 * run, everything when it does not know what is stored (a new run, another member's, one loaded), and a load
 * reassembles a record that dispatches exactly like the stored one. On an H2 database in memory and on PostgreSQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RunRecordMapStoreTest {

    /** 1,000 phases: 4 chunks of phases, and 16 parts of the default event ring. */
    private static final int PHASES = 1_000;
    private static final int ALL_PARTS = 1 + 1 + 4 + 16;

    private PostgresServer postgres;
    private HazelcastInstance member;
    private final List<Database> databases = new ArrayList<>();

    @BeforeAll
    void startMember() {
        member = TestMembers.start(TestMembers.privateCluster("run-parts"));
    }

    @AfterAll
    void stop() throws Exception {
        member.shutdown();
        if (postgres != null) {
            postgres.close();
        }
    }

    @AfterEach
    void closeDatabases() {
        databases.forEach(Database::close);
        databases.clear();
    }

    Stream<String> databases() {
        return Stream.of("h2", "postgresql");
    }

    private Database database(String kind) throws Exception {
        String url;
        if (kind.equals("h2")) {
            url = "jdbc:h2:mem:run-parts-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        } else {
            if (postgres == null) {
                postgres = PostgresServer.start();
            }
            url = postgres.jdbcUrl();
        }
        Database database = Database.open(StoreSettings.of(url));
        databases.add(database);
        return database;
    }

    /** A store as a member has it, on {@code database}. */
    private RunRecordMapStore store(Database database) {
        RunRecordMapStore store = new RunRecordMapStore(database, new StoreHealth());
        store.init(member, new Properties(), MapNames.RUNS);
        return store;
    }

    private static RunRecord run(String id) {
        RunSettings settings = RunSettings.builder().maxParallel(PHASES).build();
        RunBlueprint.Builder blueprint = RunBlueprint.builder();
        for (int i = 0; i < PHASES; i++) {
            blueprint.phase("p" + i, 100);
        }
        return RunRecord.create(id, "parts", blueprint.build(settings), 1_000);
    }

    /** Leases {@code n} phases and completes the first {@code completed} of them. */
    private static RunRecord changed(RunRecord stored, int n, int completed, long now) {
        RunRecord copy = stored.copy();
        List<LeaseGrant> grants = copy.lease("w", n, now, 60_000);
        for (int k = 0; k < completed; k++) {
            copy.complete(grants.get(k).phase(), grants.get(k).epoch(), Outcome.SUCCEEDED, 90, "", now + 1);
        }
        return copy;
    }

    /** The same state, and the same answers to the same transitions. */
    private static void assertDispatchesLike(RunRecord loaded, RunRecord expected) {
        assertThat(loaded.phases()).isEqualTo(expected.phases());
        assertThat(loaded.eventsSince(0)).isEqualTo(expected.eventsSince(0));
        assertThat(loaded.state()).isEqualTo(expected.state());
        assertThat(loaded.version()).isEqualTo(expected.version());
        assertThat(loaded.tokensUsed()).isEqualTo(expected.tokensUsed());
        assertThat(loaded.tokensReserved()).isEqualTo(expected.tokensReserved());
        assertThat(loaded.nextDeadline()).isEqualTo(expected.nextDeadline());
        RunRecord a = loaded.copy();
        RunRecord b = expected.copy();
        assertThat(a.lease("x", 300, 500_000, 60_000)).isEqualTo(b.lease("x", 300, 500_000, 60_000));
        assertThat(a.expireLeases(10_000_000)).isEqualTo(b.expireLeases(10_000_000));
        assertThat(a.phases()).isEqualTo(b.phases());
    }

    private SerializationService serialization() {
        return ((SerializationServiceSupport) member).getSerializationService();
    }

    /** The record as a member that received it by migration has it: the same state in new objects. */
    private RunRecord migrated(RunRecord record) {
        return serialization().toObject(serialization().toData(record));
    }

    private static int rows(Database database, String runId) throws Exception {
        try (Connection c = database.dataSource().getConnection();
                PreparedStatement count = c.prepareStatement("SELECT COUNT(*) FROM pg_run_parts WHERE run_id = ?")) {
            count.setString(1, runId);
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aChangeWritesTheHeaderAndTheChangedPartsOnlyAndLoadsBackAsStored(String kind) throws Exception {
        Database database = database(kind);
        RunRecordMapStore store = store(database);
        String id = "r-changed-" + kind;
        RunRecord v0 = run(id);
        store.store(id, v0);
        assertThat(store.partsWritten()).as("a new run: every part").isEqualTo(ALL_PARTS);

        RunRecord v1 = changed(v0, 5, 2, 2_000);
        store.store(id, v1);
        // header, the first chunk of phases (the five leased), the one or two slices of the ring the events went to
        assertThat(store.partsWritten() - ALL_PARTS).isBetween(3L, 4L);
        assertDispatchesLike(store(database).load(id), v1);

        RunRecord v2 = changed(v1, 400, 300, 3_000);
        store.store(id, v2);
        assertDispatchesLike(store(database).load(id), v2);
        assertThat(rows(database, id)).isEqualTo(ALL_PARTS);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aStoreThatDoesNotKnowWhatIsStoredWritesEveryPart(String kind) throws Exception {
        Database database = database(kind);
        RunRecordMapStore first = store(database);
        String id = "r-moved-" + kind;
        RunRecord v1 = changed(run(id), 10, 5, 2_000);
        first.store(id, v1);

        // the partition moves to another member: its store has no snapshot, its record is a deserialized copy
        RunRecordMapStore second = store(database);
        RunRecord v2 = changed(migrated(v1), 300, 100, 3_000);
        second.store(id, v2);
        assertThat(second.partsWritten()).isEqualTo(ALL_PARTS);
        assertDispatchesLike(first.load(id), v2);

        // and back: the first store's snapshot is of objects the new record does not share, so every part holding
        // something is written again (slices of the ring that are still empty were empty in every version)
        long before = first.partsWritten();
        RunRecord v3 = changed(migrated(v2), 10, 10, 4_000);
        first.store(id, v3);
        long eventParts = (v3.lastSequence() + 63) / 64;
        assertThat(eventParts).isLessThan(16);
        assertThat(first.partsWritten() - before).isEqualTo(1 + 1 + 4 + eventParts);
        assertDispatchesLike(second.load(id), v3);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void deletingARunRemovesEveryRowOfItAndNothingElse(String kind) throws Exception {
        Database database = database(kind);
        RunRecordMapStore store = store(database);
        String gone = "r-gone-" + kind;
        String kept = "r-kept-" + kind;
        store.store(gone, changed(run(gone), 3, 1, 2_000));
        store.store(kept, run(kept));
        assertThat(rows(database, gone)).isEqualTo(ALL_PARTS);

        store.delete(gone);

        assertThat(rows(database, gone)).isZero();
        assertThat(store.load(gone)).isNull();
        assertThat(store(database).loadAllKeys()).contains(kept).doesNotContain(gone);
        assertThat(store.loadAll(List.of(gone, kept))).containsOnlyKeys(kept);
        // stored again after the delete: written whole, not as changes to what was deleted
        RunRecord again = changed(run(gone), 2, 0, 5_000);
        store.store(gone, again);
        assertDispatchesLike(store(database).load(gone), again);
    }

    /** A member of a stored cluster as production configures one. */
    private static HazelcastInstance storedMember(ClusterSettings settings, Database database) {
        return Hazelcast.newHazelcastInstance(DurableMaps.configure(MemberConfigFactory.create(settings), database,
                new StoreHealth()));
    }

    private static ClusterSettings joining(ClusterSettings first) {
        return ClusterSettings.builder().clusterName(first.clusterName()).port(TestMembers.freePort())
                .members(List.of(first.bindAddress() + ":" + first.port())).build();
    }

    /** Leases up to {@code n} phases through the map's processors and reports every grant succeeded. */
    private static int leaseAndComplete(RunStore runs, String id, int n, long now) {
        LeaseBatch batch = runs.lease(id, "w", n, now);
        List<PhaseReport> reports = new ArrayList<>();
        for (LeaseGrant g : batch.grants()) {
            reports.add(new PhaseReport(g.key(), g.epoch(), Outcome.SUCCEEDED, 90, "", "w"));
        }
        runs.completeAll(id, reports, now + 1);
        return reports.size();
    }

    @Test
    void aMemberThatTakesARunOverWritesItWholeAndAFreshMemberLoadsItsLastState() throws Exception {
        Database database = database("h2"); // in memory, shared by the members of this JVM
        ClusterSettings first = TestMembers.privateCluster("run-parts-takeover");
        String id = "r-takeover";
        HazelcastInstance a = storedMember(first, database);
        HazelcastInstance b = null;
        HazelcastInstance fresh = null;
        try {
            RunStore onA = new RunStore(a);
            onA.runs().set(id, run(id));
            assertThat(leaseAndComplete(onA, id, 20, 2_000)).isEqualTo(20);

            b = storedMember(joining(first), database);
            HazelcastInstance joined = b;
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> joined.getCluster().getMembers().size() == 2
                    && joined.getPartitionService().isClusterSafe());
            HazelcastInstance owner = a.getPartitionService().getPartition(id).getOwner().localMember() ? a : b;
            HazelcastInstance survivor = owner == a ? b : a;
            owner.shutdown(); // graceful: the run's partition moves to the survivor, whose store never wrote it
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> survivor.getCluster().getMembers().size() == 1
                    && survivor.getPartitionService().isClusterSafe());

            RunStore onSurvivor = new RunStore(survivor);
            assertThat(leaseAndComplete(onSurvivor, id, 300, 3_000)).isEqualTo(300);
            assertThat(leaseAndComplete(onSurvivor, id, 5, 4_000)).isEqualTo(5);
            RunRecord last = onSurvivor.runs().get(id);
            assertThat(last.count(PhaseState.SUCCEEDED)).isEqualTo(325);
            survivor.shutdown();

            fresh = storedMember(TestMembers.privateCluster("run-parts-fresh"), database);
            RunRecord loaded = new RunStore(fresh).runs().get(id);
            assertDispatchesLike(loaded, last);
        } finally {
            for (HazelcastInstance m : new HazelcastInstance[] {a, b, fresh}) {
                if (m != null) {
                    m.shutdown();
                }
            }
        }
    }
}
