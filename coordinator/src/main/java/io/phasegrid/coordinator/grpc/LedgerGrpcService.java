package io.phasegrid.coordinator.grpc;

import io.grpc.stub.StreamObserver;
import io.phasegrid.coordinator.ledger.LedgerSnapshot;
import io.phasegrid.coordinator.ledger.TokenLedger;
import io.phasegrid.proto.v1.BudgetLevel;
import io.phasegrid.proto.v1.GetLedgerRequest;
import io.phasegrid.proto.v1.Ledger;
import io.phasegrid.proto.v1.LedgerServiceGrpc;
import io.phasegrid.proto.v1.SetBudgetRequest;
import io.phasegrid.proto.v1.TopUpRequest;
import java.util.function.Supplier;

/** LedgerService: proto <-> {@link TokenLedger}. */
public final class LedgerGrpcService extends LedgerServiceGrpc.LedgerServiceImplBase {

    private final TokenLedger ledger;
    private final Runnable onBudgetRaised;

    /**
     * @param onBudgetRaised called after a top-up or a new budget, so paused runs can resume
     */
    public LedgerGrpcService(TokenLedger ledger, Runnable onBudgetRaised) {
        this.ledger = ledger;
        this.onBudgetRaised = onBudgetRaised;
    }

    @Override
    public void getLedger(GetLedgerRequest request, StreamObserver<Ledger> responses) {
        answer(responses, ledger::snapshot);
    }

    @Override
    public void setBudget(SetBudgetRequest request, StreamObserver<Ledger> responses) {
        answer(responses, () -> {
            LedgerSnapshot after = ledger.setBudget(request.getBudget());
            onBudgetRaised.run();
            return after;
        });
    }

    @Override
    public void topUp(TopUpRequest request, StreamObserver<Ledger> responses) {
        answer(responses, () -> {
            LedgerSnapshot after = ledger.topUp(request.getTokens());
            onBudgetRaised.run();
            return after;
        });
    }

    private static void answer(StreamObserver<Ledger> responses, Supplier<LedgerSnapshot> call) {
        GrpcCalls.unary(responses, () -> toProto(call.get()));
    }

    static Ledger toProto(LedgerSnapshot s) {
        return Ledger.newBuilder()
                .setBudget(s.budget())
                .setReserved(s.reserved())
                .setUsed(s.used())
                .setRemaining(s.unlimited() ? 0 : s.remaining())
                .setLevel(switch (s.level()) {
                    case OK -> BudgetLevel.BUDGET_OK;
                    case WARN -> BudgetLevel.BUDGET_WARN;
                    case CRITICAL -> BudgetLevel.BUDGET_CRITICAL;
                    case STOP -> BudgetLevel.BUDGET_STOP;
                })
                .build();
    }
}
