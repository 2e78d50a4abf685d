package io.phasegrid.coordinator.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.hazelcast.core.HazelcastInstance;
import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.phasegrid.coordinator.hazelcast.MapNames;
import io.phasegrid.coordinator.lease.HazelcastWorkerGateway;
import io.phasegrid.coordinator.lease.LeaseTimings;
import io.phasegrid.coordinator.lease.WorkerDirectory;
import io.phasegrid.coordinator.testing.TestClock;
import io.phasegrid.coordinator.testing.TestMembers;
import io.phasegrid.proto.v1.HeartbeatRequest;
import io.phasegrid.proto.v1.ListWorkersRequest;
import io.phasegrid.proto.v1.ListWorkersResponse;
import io.phasegrid.proto.v1.RegisterWorkerRequest;
import io.phasegrid.proto.v1.WorkerConnection;
import io.phasegrid.proto.v1.WorkerInfo;
import io.phasegrid.proto.v1.WorkerServiceGrpc;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * WorkerService.ListWorkers over an in-process gRPC server backed by a real Hazelcast member: the workers that
 * registered and heartbeat through the same service, with their utilisation. The coordinator's clock is the test's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ListWorkersTest {

    private static final LeaseTimings TIMINGS = new LeaseTimings(1_000, 3_000);

    private final TestClock clock = TestClock.manual(1_700_000_000_000L);
    private HazelcastInstance member;
    private HazelcastWorkerGateway gateway;
    private CoordinatorServer server;
    private ManagedChannel channel;
    private WorkerServiceGrpc.WorkerServiceBlockingStub workers;
    private WorkerDirectory directory;

    @BeforeAll
    void start() throws Exception {
        member = TestMembers.start(TestMembers.privateCluster("list-workers"));
        gateway = new HazelcastWorkerGateway(member, clock, TIMINGS);
        String name = InProcessServerBuilder.generateName();
        directory = new WorkerDirectory(member, clock, TIMINGS);
        server = new CoordinatorServer(InProcessServerBuilder.forName(name).directExecutor(), List.of(
                WorkerServiceDefinition.of(new WorkerGrpcService(gateway), directory))).start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        workers = WorkerServiceGrpc.newBlockingStub(channel);
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (member != null) {
            member.shutdown();
        }
    }

    @BeforeEach
    void noWorkers() {
        member.getMap(MapNames.WORKERS).clear();
    }

    private String register(String name, int slots, Map<String, String> labels) {
        return workers.register(RegisterWorkerRequest.newBuilder()
                .setName(name).setSlots(slots).putAllLabels(labels).build()).getWorkerId();
    }

    private void heartbeat(String workerId, int slots, int busy) {
        workers.heartbeat(HeartbeatRequest.newBuilder()
                .setWorkerId(workerId).setSlots(slots).setBusySlots(busy).build());
    }

    private ListWorkersResponse list() {
        return workers.listWorkers(ListWorkersRequest.getDefaultInstance());
    }

    @Test
    void listsTheRegisteredWorkersWithTheirSlotsAndBusySlotsAsOfTheirLastHeartbeat() {
        String alpha = register("alpha", 4, Map.of("gpu", "true"));
        String beta = register("beta", 2, Map.of());
        clock.advance(500);
        heartbeat(alpha, 4, 3);

        ListWorkersResponse listed = list();

        assertThat(listed.getWorkersList()).extracting(WorkerInfo::getName).containsExactly("alpha", "beta");
        assertThat(listed.getWorkers(0)).satisfies(w -> {
            assertThat(w.getWorkerId()).isEqualTo(alpha);
            assertThat(w.getSlots()).isEqualTo(4);
            assertThat(w.getBusySlots()).isEqualTo(3);
            assertThat(w.getLabelsMap()).containsExactly(Map.entry("gpu", "true"));
            assertThat(w.getLastSeenMs()).isEqualTo(clock.millis());
            assertThat(w.getConnected()).isTrue();
        });
        assertThat(listed.getWorkers(1)).satisfies(w -> {
            assertThat(w.getWorkerId()).isEqualTo(beta);
            assertThat(w.getBusySlots()).as("no heartbeat yet").isZero();
            assertThat(w.getConnected()).isTrue();
        });
        assertThat(listed.getSlots()).isEqualTo(6);
        assertThat(listed.getBusySlots()).isEqualTo(3);
    }

    @Test
    void aWorkerUnheardForThreeHeartbeatIntervalsIsListedAsDisconnectedAndLeftOutOfTheTotals() {
        register("gone", 4, Map.of());
        String stays = register("stays", 2, Map.of());
        clock.advance(2 * TIMINGS.heartbeatIntervalMs());
        heartbeat(stays, 2, 1);
        clock.advance(TIMINGS.heartbeatIntervalMs() + 1);

        ListWorkersResponse listed = list();

        assertThat(listed.getDisconnectedAfterMs()).isEqualTo(3 * TIMINGS.heartbeatIntervalMs());
        assertThat(listed.getWorkersList()).extracting(WorkerInfo::getName, WorkerInfo::getConnected)
                .containsExactly(tuple("gone", false),
                        tuple("stays", true));
        assertThat(listed.getSlots()).isEqualTo(2);
        assertThat(listed.getBusySlots()).isEqualTo(1);
    }

    @Test
    void anEmptyClusterListsNoWorkers() {
        ListWorkersResponse listed = list();

        assertThat(listed.getWorkersList()).isEmpty();
        assertThat(listed.getSlots()).isZero();
    }

    private ListWorkersResponse list(ListWorkersRequest.Builder request) {
        return workers.listWorkers(request.build());
    }

    @Test
    void pagesFollowTheOrderByNameAndEachCarriesTheTotalsOfEveryConnectedWorker() {
        for (int i = 0; i < 5; i++) {
            register("w" + i, 2, Map.of());
        }
        List<String> seen = new java.util.ArrayList<>();
        ListWorkersResponse page = list(ListWorkersRequest.newBuilder().setPageSize(2));
        int pages = 1;
        while (true) {
            page.getWorkersList().forEach(w -> seen.add(w.getName()));
            assertThat(page.getSlots()).as("totals over all connected workers").isEqualTo(10);
            assertThat(page.getWorkersCount()).isLessThanOrEqualTo(2);
            if (page.getNextPageToken().isEmpty()) {
                break;
            }
            page = list(ListWorkersRequest.newBuilder().setPageSize(2).setPageToken(page.getNextPageToken()));
            pages++;
            assertThat(pages).as("bounded").isLessThanOrEqualTo(3);
        }
        assertThat(seen).containsExactly("w0", "w1", "w2", "w3", "w4");
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void aWorkerRegisteredBetweenTwoPagesIsListedOnALaterPageWhenItSortsAfterTheLastOneSeen() {
        register("a", 1, Map.of());
        register("c", 1, Map.of());
        ListWorkersResponse first = list(ListWorkersRequest.newBuilder().setPageSize(1));
        register("b", 1, Map.of());

        ListWorkersResponse rest = list(ListWorkersRequest.newBuilder().setPageSize(10)
                .setPageToken(first.getNextPageToken()));

        assertThat(first.getWorkersList()).extracting(WorkerInfo::getName).containsExactly("a");
        assertThat(rest.getWorkersList()).extracting(WorkerInfo::getName).containsExactly("b", "c");
        assertThat(rest.getNextPageToken()).isEmpty();
    }

    @Test
    void theConnectionFilterListsOnlyConnectedOrOnlyDisconnectedWorkers() {
        register("silent", 4, Map.of());
        clock.advance(3 * TIMINGS.heartbeatIntervalMs() + 1);
        register("fresh", 2, Map.of());

        assertThat(list(ListWorkersRequest.newBuilder().setConnection(WorkerConnection.WORKER_CONNECTION_CONNECTED))
                .getWorkersList()).extracting(WorkerInfo::getName).containsExactly("fresh");
        ListWorkersResponse disconnected = list(ListWorkersRequest.newBuilder()
                .setConnection(WorkerConnection.WORKER_CONNECTION_DISCONNECTED));
        assertThat(disconnected.getWorkersList()).extracting(WorkerInfo::getName).containsExactly("silent");
        assertThat(disconnected.getSlots()).as("the totals do not depend on the filter").isEqualTo(2);
    }

    @Test
    void aPageEndsBeforeItsEncodedSizePassesTwoMebibytesAndPagingStillListsEveryWorker() {
        Map<String, String> heavy = new java.util.HashMap<>();
        for (int k = 0; k < 64; k++) {
            heavy.put("label-" + k, "v".repeat(1_024)); // the largest labels Register accepts: ~70 KB a worker
        }
        for (int i = 0; i < 40; i++) {
            register(String.format("heavy-%02d", i), 1, heavy);
        }

        List<String> names = new java.util.ArrayList<>();
        String token = "";
        int pages = 0;
        do {
            ListWorkersResponse page = list(ListWorkersRequest.newBuilder().setPageSize(1_000).setPageToken(token));
            assertThat(page.getSerializedSize()).isLessThanOrEqualTo(WorkerListPager.MAX_PAGE_BYTES);
            page.getWorkersList().forEach(w -> names.add(w.getName()));
            token = page.getNextPageToken();
            pages++;
        } while (!token.isEmpty() && pages < 10);

        assertThat(pages).as("40 x 70 KB cannot fit one page").isGreaterThan(1);
        assertThat(names).hasSize(40).doesNotHaveDuplicates().isSorted();
    }

    @Test
    void aBadPageSizeTokenOrFilterIsAnInvalidArgumentWithAShortMessage() {
        register("one", 1, Map.of());
        register("two", 1, Map.of());
        String token = list(ListWorkersRequest.newBuilder().setPageSize(1)).getNextPageToken();

        for (ListWorkersRequest.Builder bad : List.of(
                ListWorkersRequest.newBuilder().setPageSize(-1),
                ListWorkersRequest.newBuilder().setConnectionValue(99),
                ListWorkersRequest.newBuilder().setPageToken("not-a-token"),
                ListWorkersRequest.newBuilder().setPageToken("x".repeat(64 * 1024)),
                ListWorkersRequest.newBuilder().setPageToken(token)
                        .setConnection(WorkerConnection.WORKER_CONNECTION_CONNECTED))) {
            io.grpc.StatusRuntimeException e = org.assertj.core.api.Assertions.catchThrowableOfType(
                    () -> list(bad), io.grpc.StatusRuntimeException.class);
            assertThat(e).as(bad.toString()).isNotNull();
            assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT);
            assertThat(e.getStatus().getDescription()).hasSizeLessThanOrEqualTo(300);
        }
        assertThat(list(ListWorkersRequest.newBuilder().setPageSize(1_000)).getWorkersCount()).isEqualTo(2);
        assertThat(list(ListWorkersRequest.newBuilder().setPageSize(5_000)).getWorkersCount())
                .as("a page size above the maximum is the maximum (AIP-158), as in ListRuns").isEqualTo(2);
    }

    @Test
    void aWorkerUnheardForSixtyHeartbeatIntervalsLeavesTheRegistryAndTheGaugesAndMayRegisterAgain() {
        String gone = register("gone", 4, Map.of());
        String stays = register("stays", 2, Map.of());
        clock.advance(59 * TIMINGS.heartbeatIntervalMs());
        heartbeat(stays, 2, 0);
        clock.advance(TIMINGS.heartbeatIntervalMs() + 1);
        io.phasegrid.coordinator.metrics.HazelcastClusterGauges gauges =
                new io.phasegrid.coordinator.metrics.HazelcastClusterGauges(
                        new io.phasegrid.coordinator.run.store.RunStore(member),
                        new io.phasegrid.coordinator.ledger.TokenLedger(member), directory, clock);

        ListWorkersResponse listed = list();

        assertThat(listed.getRemovedAfterMs()).isEqualTo(60 * TIMINGS.heartbeatIntervalMs());
        assertThat(listed.getWorkersList()).extracting(WorkerInfo::getName).containsExactly("stays");
        assertThat(gauges.workers()).containsOnlyKeys("stays");
        assertThat(register("gone", 4, Map.of())).as("the same id again").isEqualTo(gone);
        assertThat(list().getWorkersList()).extracting(WorkerInfo::getName).containsExactly("gone", "stays");
    }

    @Test
    void aWorkerThatLeftTheRegistryMustRegisterAgainEvenOnAMemberThatRemembersIt() {
        String id = register("left", 2, Map.of("zone", "a"));
        io.phasegrid.proto.v1.PollLeaseRequest poll = io.phasegrid.proto.v1.PollLeaseRequest.newBuilder()
                .setWorkerId(id).setFreeSlots(1).setWaitMs(0).build();
        assertThat(workers.pollLease(poll).getLeasesCount()).isZero();

        member.getMap(MapNames.WORKERS).delete(id); // what its time to live does after 60 silent intervals
        clock.advance(TIMINGS.heartbeatIntervalMs());

        io.grpc.StatusRuntimeException refused = org.assertj.core.api.Assertions.catchThrowableOfType(
                () -> workers.pollLease(poll), io.grpc.StatusRuntimeException.class);
        assertThat(refused.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT);
        assertThat(refused.getStatus().getDescription()).contains("register first");
        heartbeat(id, 2, 0);
        assertThat(list().getWorkersList()).as("a heartbeat does not bring a removed worker back").isEmpty();

        assertThat(register("left", 2, Map.of("zone", "a"))).isEqualTo(id);
        assertThat(workers.pollLease(poll).getLeasesCount()).isZero();
    }

    @Test
    void aHeartbeatKeepsTheSlotsAndLabelsOfTheLatestRegistration() {
        String id = register("moved", 2, Map.of("zone", "a"));
        register("moved", 4, Map.of("zone", "b")); // registered again, e.g. through another member
        heartbeat(id, 0, 3);

        assertThat(list().getWorkersList()).singleElement().satisfies(w -> {
            assertThat(w.getSlots()).isEqualTo(4);
            assertThat(w.getBusySlots()).isEqualTo(3);
            assertThat(w.getLabelsMap()).containsExactly(Map.entry("zone", "b"));
        });
    }
}
