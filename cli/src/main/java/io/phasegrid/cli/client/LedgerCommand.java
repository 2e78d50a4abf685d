package io.phasegrid.cli.client;

import io.grpc.ManagedChannel;
import io.phasegrid.cli.InvalidInputException;
import io.phasegrid.cli.json.Json;
import io.phasegrid.proto.v1.GetLedgerRequest;
import io.phasegrid.proto.v1.Ledger;
import io.phasegrid.proto.v1.LedgerServiceGrpc;
import io.phasegrid.proto.v1.SetBudgetRequest;
import io.phasegrid.proto.v1.TopUpRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code phasegrid ledger [--set N | --top-up N]}: the cluster-wide token budget. */
@Command(name = "ledger", mixinStandardHelpOptions = true,
        description = "Show the cluster-wide token ledger; --set a budget (0 = unlimited) or --top-up it.")
public final class LedgerCommand extends ClientCommand {

    @Option(names = "--set", paramLabel = "TOKENS", description = "Set the budget.")
    Long set;

    @Option(names = "--top-up", paramLabel = "TOKENS", description = "Add tokens to the budget; paused runs resume.")
    Long topUp;

    @Override
    int run(ManagedChannel channel) {
        if (set != null && topUp != null) {
            throw new InvalidInputException("phasegrid ledger: --set and --top-up exclude each other");
        }
        LedgerServiceGrpc.LedgerServiceBlockingStub ledger = LedgerServiceGrpc.newBlockingStub(channel);
        Ledger now;
        if (set != null) {
            now = ledger.setBudget(SetBudgetRequest.newBuilder().setBudget(set).build());
        } else if (topUp != null) {
            now = ledger.topUp(TopUpRequest.newBuilder().setTokens(topUp).build());
        } else {
            now = ledger.getLedger(GetLedgerRequest.getDefaultInstance());
        }
        if (json) {
            out().println(Json.pretty(ClusterView.ledgerJson(now)));
        } else {
            out().println(ClusterView.describe(now));
        }
        return 0;
    }
}
