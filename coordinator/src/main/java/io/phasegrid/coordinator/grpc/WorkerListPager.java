package io.phasegrid.coordinator.grpc;

import io.phasegrid.coordinator.lease.WorkerDirectory;
import io.phasegrid.proto.v1.ListWorkersRequest;
import io.phasegrid.proto.v1.ListWorkersResponse;
import io.phasegrid.proto.v1.WorkerConnection;
import io.phasegrid.proto.v1.WorkerInfo;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;

/**
 * One page of {@code ListWorkers} (AIP-158) cut from a {@link WorkerDirectory.Listing}: the workers are ordered by
 * (name, worker id), and the page token is the last (name, id) seen with the filter it was made for, so the next page
 * starts after it whatever registered or left meanwhile. The totals stay those of every connected worker.
 */
final class WorkerListPager {

    static final int DEFAULT_PAGE_SIZE = 100;
    static final int MAX_PAGE_SIZE = 1_000;
    static final int MAX_TOKEN_CHARS = 2_048;
    /** A page ends early rather than grow past this (most clients receive at most 4 MiB). */
    static final int MAX_PAGE_BYTES = 2 * 1024 * 1024;

    private static final String VERSION = "w1";
    private static final Comparator<WorkerDirectory.Worker> ORDER =
            Comparator.comparing(WorkerDirectory.Worker::name).thenComparing(WorkerDirectory.Worker::workerId);

    private WorkerListPager() {
    }

    /** Checks the request before the directory is read. @throws IllegalArgumentException over a limit */
    static void check(ListWorkersRequest request) {
        if (request.getPageSize() < 0) {
            throw new IllegalArgumentException("page_size must not be negative (0 = " + DEFAULT_PAGE_SIZE + "), was "
                    + request.getPageSize());
        }
        if (request.getConnection() == WorkerConnection.UNRECOGNIZED) {
            throw new IllegalArgumentException("connection " + request.getConnectionValue()
                    + " is not a known WorkerConnection");
        }
        if (request.getPageToken().length() > MAX_TOKEN_CHARS) {
            throw new IllegalArgumentException("page_token: at most " + MAX_TOKEN_CHARS + " characters, was "
                    + request.getPageToken().length());
        }
        if (!request.getPageToken().isEmpty()) {
            after(request);
        }
    }

    /** The page {@code request} asks for ({@link #check checked} before). */
    static ListWorkersResponse page(ListWorkersRequest request, WorkerDirectory.Listing listing) {
        // AIP-158: a page size above the maximum is treated as the maximum
        int size = request.getPageSize() == 0 ? DEFAULT_PAGE_SIZE : Math.min(MAX_PAGE_SIZE, request.getPageSize());
        WorkerDirectory.Worker after = request.getPageToken().isEmpty() ? null : after(request);
        ListWorkersResponse.Builder response = ListWorkersResponse.newBuilder()
                .setSlots(listing.slots())
                .setBusySlots(listing.busySlots())
                .setDisconnectedAfterMs(listing.disconnectedAfterMs())
                .setRemovedAfterMs(listing.removedAfterMs());
        WorkerDirectory.Worker last = null;
        boolean more = false;
        long bytes = 0;
        for (WorkerDirectory.Worker w : listing.workers()) { // ordered as ORDER
            if (!wanted(request.getConnection(), w) || (after != null && ORDER.compare(w, after) <= 0)) {
                continue;
            }
            WorkerInfo info = toProto(w);
            bytes += info.getSerializedSize() + 8;
            if (response.getWorkersCount() == size || (response.getWorkersCount() > 0 && bytes > MAX_PAGE_BYTES)) {
                more = true;
                break;
            }
            response.addWorkers(info);
            last = w;
        }
        if (more) {
            response.setNextPageToken(token(request.getConnection(), last));
        }
        return response.build();
    }

    private static boolean wanted(WorkerConnection connection, WorkerDirectory.Worker w) {
        return switch (connection) {
            case WORKER_CONNECTION_CONNECTED -> w.connected();
            case WORKER_CONNECTION_DISCONNECTED -> !w.connected();
            default -> true;
        };
    }

    static String token(WorkerConnection connection, WorkerDirectory.Worker last) {
        String plain = VERSION + "\0" + connection.getNumber() + "\0" + last.workerId() + "\0" + last.name();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** The last worker of the previous page, as the token says. @throws IllegalArgumentException for a bad token */
    private static WorkerDirectory.Worker after(ListWorkersRequest request) {
        String[] parts;
        try {
            parts = new String(Base64.getUrlDecoder().decode(request.getPageToken()), StandardCharsets.UTF_8)
                    .split("\0", 4);
        } catch (IllegalArgumentException e) {
            parts = new String[0];
        }
        if (parts.length != 4 || !parts[0].equals(VERSION)) {
            throw new IllegalArgumentException("page_token is not one this server made (pass next_page_token as is)");
        }
        if (!parts[1].equals(Integer.toString(request.getConnectionValue()))) {
            throw new IllegalArgumentException("page_token was made for another connection filter");
        }
        return new WorkerDirectory.Worker(parts[2], parts[3], 0, 0, java.util.Map.of(), 0, false);
    }

    private static WorkerInfo toProto(WorkerDirectory.Worker w) {
        return WorkerInfo.newBuilder()
                .setWorkerId(w.workerId())
                .setName(w.name())
                .setSlots(w.slots())
                .setBusySlots(w.busySlots())
                .putAllLabels(w.labels())
                .setLastSeenMs(w.lastSeenMs())
                .setConnected(w.connected())
                .build();
    }
}
