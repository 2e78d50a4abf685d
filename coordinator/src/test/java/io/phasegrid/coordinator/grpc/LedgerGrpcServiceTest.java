package io.phasegrid.coordinator.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.core.HazelcastInstance;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.phasegrid.coordinator.hazelcast.MapNames;
import io.phasegrid.coordinator.ledger.TokenLedger;
import io.phasegrid.coordinator.testing.TestMembers;
import io.phasegrid.proto.v1.BudgetLevel;
import io.phasegrid.proto.v1.GetLedgerRequest;
import io.phasegrid.proto.v1.Ledger;
import io.phasegrid.proto.v1.LedgerServiceGrpc;
import io.phasegrid.proto.v1.SetBudgetRequest;
import io.phasegrid.proto.v1.TopUpRequest;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** LedgerService over an in-process gRPC server backed by a real Hazelcast member. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LedgerGrpcServiceTest {

    private final AtomicInteger budgetRaised = new AtomicInteger();
    private HazelcastInstance member;
    private CoordinatorServer server;
    private ManagedChannel channel;
    private LedgerServiceGrpc.LedgerServiceBlockingStub ledger;

    @BeforeAll
    void start() throws Exception {
        member = TestMembers.start(TestMembers.privateCluster("ledger-grpc"));
        String name = InProcessServerBuilder.generateName();
        server = new CoordinatorServer(InProcessServerBuilder.forName(name).directExecutor(),
                List.of(new LedgerGrpcService(new TokenLedger(member), budgetRaised::incrementAndGet))).start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        ledger = LedgerServiceGrpc.newBlockingStub(channel);
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.close();
        }
        if (member != null) {
            member.shutdown();
        }
    }

    @BeforeEach
    void emptyLedger() {
        member.getMap(MapNames.LEDGER).clear();
    }

    @Test
    void aNewClusterHasAnUnlimitedBudget() {
        Ledger now = ledger.getLedger(GetLedgerRequest.getDefaultInstance());

        assertThat(now.getBudget()).isZero();
        assertThat(now.getLevel()).isEqualTo(BudgetLevel.BUDGET_OK);
    }

    @Test
    void setAndTopUpChangeTheBudgetAndWakePausedRuns() {
        int before = budgetRaised.get();

        ledger.setBudget(SetBudgetRequest.newBuilder().setBudget(100_000).build());
        Ledger after = ledger.topUp(TopUpRequest.newBuilder().setTokens(50_000).build());

        assertThat(after.getBudget()).isEqualTo(150_000);
        assertThat(after.getRemaining()).isEqualTo(150_000);
        assertThat(budgetRaised.get()).isEqualTo(before + 2);
    }

    @Test
    void badRequestsGetTheRightStatusCodes() {
        assertThatThrownBy(() -> ledger.setBudget(SetBudgetRequest.newBuilder().setBudget(-5).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
        assertThatThrownBy(() -> ledger.topUp(TopUpRequest.newBuilder().setTokens(10).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                    assertThat(e.getStatus().getDescription()).contains("unlimited");
                });
    }

    @Test
    void budgetsAndTopUpsOutsideTheirRangeAreInvalidArgumentsWithAShortMessageAndChangeNothing() {
        ledger.setBudget(SetBudgetRequest.newBuilder().setBudget(999_999_999_999_999_990L).build());

        for (Runnable bad : List.<Runnable>of(
                () -> ledger.setBudget(SetBudgetRequest.newBuilder().setBudget(Long.MIN_VALUE).build()),
                () -> ledger.setBudget(SetBudgetRequest.newBuilder().setBudget(Long.MAX_VALUE).build()),
                () -> ledger.topUp(TopUpRequest.newBuilder().setTokens(0).build()),
                () -> ledger.topUp(TopUpRequest.newBuilder().setTokens(-1).build()),
                () -> ledger.topUp(TopUpRequest.newBuilder().setTokens(11).build()),
                () -> ledger.topUp(TopUpRequest.newBuilder().setTokens(Long.MAX_VALUE).build()))) {
            assertThatThrownBy(bad::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                assertThat(e.getStatus().getDescription()).hasSizeLessThanOrEqualTo(300);
            });
        }

        Ledger now = ledger.getLedger(GetLedgerRequest.getDefaultInstance());
        assertThat(now.getBudget()).isEqualTo(999_999_999_999_999_990L);
        assertThat(ledger.topUp(TopUpRequest.newBuilder().setTokens(10).build()).getBudget())
                .isEqualTo(1_000_000_000_000_000_000L);
    }

    @Test
    void theServerReportsHealth() {
        HealthCheckResponse health = HealthGrpc.newBlockingStub(channel)
                .check(HealthCheckRequest.newBuilder().setService("").build());

        assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    }
}
