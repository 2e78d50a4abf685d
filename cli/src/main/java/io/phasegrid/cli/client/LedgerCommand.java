package io.phasegrid.cli.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grpc.ManagedChannel;
import io.phasegrid.cli.InvalidInputException;
import io.phasegrid.cli.json.Json;
import io.phasegrid.proto.v1.GetLedgerRequest;
import io.phasegrid.proto.v1.Ledger;
import io.phasegrid.proto.v1.LedgerServiceGrpc;
import io.phasegrid.proto.v1.SetBudgetRequest;
import io.phasegrid.proto.v1.TopUpRequest;
import java.util.Locale;
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
            ObjectNode root = Json.object();
            root.put("budget", now.getBudget());
            root.put("reserved", now.getReserved());
            root.put("used", now.getUsed());
            root.put("remaining", now.getRemaining());
            root.put("level", now.getLevel().name().replaceFirst("^BUDGET_", ""));
            out().println(Json.pretty(root));
        } else {
            out().printf(Locale.ROOT, "budget %s, reserved %,d, used %,d, remaining %s, level %s%n",
                    now.getBudget() == 0 ? "unlimited" : String.format(Locale.ROOT, "%,d", now.getBudget()),
                    now.getReserved(), now.getUsed(),
                    now.getBudget() == 0 ? "unlimited" : String.format(Locale.ROOT, "%,d", now.getRemaining()),
                    now.getLevel().name().replaceFirst("^BUDGET_", ""));
        }
        return 0;
    }
}
