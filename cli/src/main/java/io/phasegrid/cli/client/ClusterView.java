package io.phasegrid.cli.client;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.phasegrid.cli.json.Json;
import io.phasegrid.proto.v1.GetLedgerRequest;
import io.phasegrid.proto.v1.Ledger;
import io.phasegrid.proto.v1.LedgerServiceGrpc;
import io.phasegrid.proto.v1.ListWorkersRequest;
import io.phasegrid.proto.v1.ListWorkersResponse;
import io.phasegrid.proto.v1.WorkerInfo;
import io.phasegrid.proto.v1.WorkerServiceGrpc;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Optional;

/**
 * The cluster next to a run ({@code status}, {@code watch}): each worker's busy and total slots and the cluster's
 * (WorkerService.ListWorkers), and the token ledger (LedgerService.GetLedger).
 *
 * @param workers empty when the coordinator does not serve ListWorkers (an older version)
 */
public record ClusterView(Optional<ListWorkersResponse> workers, Ledger ledger) {

    public static ClusterView fetch(ManagedChannel channel) {
        Ledger ledger = LedgerServiceGrpc.newBlockingStub(channel).getLedger(GetLedgerRequest.getDefaultInstance());
        return new ClusterView(listWorkers(WorkerServiceGrpc.newBlockingStub(channel)), ledger);
    }

    /** Pages asked for at most (of {@value #PAGE_SIZE} workers each): the view lists up to 100,000 workers. */
    static final int MAX_PAGES = 100;
    static final int PAGE_SIZE = 1_000;

    /**
     * Every registered worker, paged through (the totals are the cluster's on every page; the first page's are
     * kept), or empty when the coordinator answers UNIMPLEMENTED.
     */
    static Optional<ListWorkersResponse> listWorkers(WorkerServiceGrpc.WorkerServiceBlockingStub stub) {
        try {
            ListWorkersResponse first = stub.listWorkers(ListWorkersRequest.newBuilder().setPageSize(PAGE_SIZE)
                    .build());
            ListWorkersResponse.Builder all = first.toBuilder().clearNextPageToken();
            String next = first.getNextPageToken();
            for (int page = 1; !next.isEmpty() && page < MAX_PAGES; page++) {
                ListWorkersResponse more = stub.listWorkers(ListWorkersRequest.newBuilder().setPageSize(PAGE_SIZE)
                        .setPageToken(next).build());
                all.addAllWorkers(more.getWorkersList());
                next = more.getNextPageToken();
            }
            return Optional.of(all.build());
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * The cluster's totals (slots, busy slots) without the list: one page of one worker, or empty when the
     * coordinator answers UNIMPLEMENTED.
     */
    static Optional<ListWorkersResponse> totals(WorkerServiceGrpc.WorkerServiceBlockingStub stub) {
        try {
            return Optional.of(stub.listWorkers(ListWorkersRequest.newBuilder().setPageSize(1).build()));
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Adds {@code workers} (when known) and {@code ledger} objects to a run's JSON. */
    public void addTo(ObjectNode run, long nowMs) {
        workers.ifPresent(listed -> {
            ObjectNode node = run.putObject("workers");
            node.put("slots", listed.getSlots());
            node.put("busySlots", listed.getBusySlots());
            node.put("connected", listed.getWorkersList().stream().filter(WorkerInfo::getConnected).count());
            node.put("disconnectedAfterMs", listed.getDisconnectedAfterMs());
            ArrayNode list = node.putArray("list");
            for (WorkerInfo w : listed.getWorkersList()) {
                ObjectNode worker = list.addObject();
                worker.put("name", w.getName());
                worker.put("workerId", w.getWorkerId());
                worker.put("connected", w.getConnected());
                worker.put("slots", w.getSlots());
                worker.put("busySlots", w.getBusySlots());
                worker.put("lastSeenAt", w.getLastSeenMs());
                if (w.getLabelsCount() > 0) {
                    ObjectNode labels = worker.putObject("labels");
                    w.getLabelsMap().forEach(labels::put);
                }
            }
        });
        run.set("ledger", ledgerJson(ledger));
    }

    /**
     * A table of the workers (a disconnected one's busy slots are unknown), the cluster's utilisation over the
     * connected ones, and the ledger:
     * <pre>
     * WORKER     STATE         BUSY/SLOTS  LAST SEEN
     * local-1    connected            1/2  0.4s ago
     * local-2    disconnected         -/4  95.0s ago
     * Workers: 1 of 2 slots busy (50%), 1 of 2 connected
     * Ledger: budget unlimited, reserved 2,000, used 9,000, remaining unlimited, level OK
     * </pre>
     */
    public void print(PrintWriter out, long nowMs) {
        workers.ifPresent(listed -> {
            if (listed.getWorkersCount() == 0) {
                out.println("Workers: none registered");
                return;
            }
            int nameWidth = Math.max(6, listed.getWorkersList().stream()
                    .mapToInt(w -> w.getName().length()).max().orElse(6));
            String format = "%-" + nameWidth + "s  %-12s  %10s  %s%n";
            out.printf(format, "WORKER", "STATE", "BUSY/SLOTS", "LAST SEEN");
            for (WorkerInfo w : listed.getWorkersList()) {
                out.printf(format, w.getName(), w.getConnected() ? "connected" : "disconnected",
                        (w.getConnected() ? Integer.toString(w.getBusySlots()) : "-") + "/" + w.getSlots(),
                        RunReport.seconds(Math.max(0, nowMs - w.getLastSeenMs())) + " ago");
            }
            long connected = listed.getWorkersList().stream().filter(WorkerInfo::getConnected).count();
            out.printf(Locale.ROOT, "Workers: %d of %d slots busy (%d%%), %d of %d connected%n",
                    listed.getBusySlots(), listed.getSlots(), utilisationPercent(listed), connected,
                    listed.getWorkersCount());
        });
        out.println("Ledger: " + describe(ledger));
    }

    /** Busy slots as a share of the connected workers' slots, 0 without any. */
    static long utilisationPercent(ListWorkersResponse listed) {
        return listed.getSlots() == 0 ? 0 : Math.round(100.0 * listed.getBusySlots() / listed.getSlots());
    }

    static String level(Ledger ledger) {
        return ledger.getLevel().name().replaceFirst("^BUDGET_", "");
    }

    /** {@code budget 1,000, reserved 0, used 10, remaining 990, level OK} ("unlimited" for a budget of 0). */
    static String describe(Ledger ledger) {
        boolean unlimited = ledger.getBudget() == 0;
        return String.format(Locale.ROOT, "budget %s, reserved %,d, used %,d, remaining %s, level %s",
                unlimited ? "unlimited" : String.format(Locale.ROOT, "%,d", ledger.getBudget()),
                ledger.getReserved(), ledger.getUsed(),
                unlimited ? "unlimited" : String.format(Locale.ROOT, "%,d", ledger.getRemaining()), level(ledger));
    }

    static ObjectNode ledgerJson(Ledger ledger) {
        ObjectNode root = Json.object();
        root.put("budget", ledger.getBudget());
        root.put("reserved", ledger.getReserved());
        root.put("used", ledger.getUsed());
        root.put("remaining", ledger.getRemaining());
        root.put("level", level(ledger));
        return root;
    }
}
