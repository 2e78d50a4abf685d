package io.phasegrid.coordinator.lease;

import io.phasegrid.coordinator.run.PhaseState;
import io.phasegrid.coordinator.run.store.PhaseReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Group commit of worker reports. Per run, reports that arrive while a batch of that run is being applied wait and
 * are applied together as the next batch: one run processor call and one ledger call for the lot, so the cost per
 * report falls as the load rises, and nothing waits for a timer (an idle run's report is applied at once). Runs are
 * applied in parallel on a small pool; one run's batches never overlap, so a worker's reports of one lease (sent one
 * after the other) are applied in order.
 */
final class ReportBatcher implements AutoCloseable {

    /** Most reports applied in one call. */
    static final int MAX_BATCH = 256;

    /** A report waiting for its batch, and the answer its caller waits on. */
    record Pending(PhaseReport report, CompletableFuture<PhaseState> answer) {
    }

    /** Applies one batch of one run and completes every answer. */
    @FunctionalInterface
    interface BatchApplier {
        void apply(String runId, List<Pending> batch);
    }

    private final BatchApplier applier;
    private final ExecutorService pool;
    private final Map<String, RunQueue> queues = new ConcurrentHashMap<>();

    ReportBatcher(BatchApplier applier, int threads) {
        this.applier = applier;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "phasegrid-reports-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    private static final class RunQueue {
        final Queue<Pending> reports = new ConcurrentLinkedQueue<>();
        final AtomicBoolean scheduled = new AtomicBoolean();
    }

    CompletableFuture<PhaseState> submit(String runId, PhaseReport report) {
        CompletableFuture<PhaseState> answer = new CompletableFuture<>();
        Pending pending = new Pending(report, answer);
        // added under the map's lock for the key, so a drain's removal of an empty queue cannot race it
        RunQueue queue = queues.compute(runId, (id, q) -> {
            RunQueue target = q == null ? new RunQueue() : q;
            target.reports.add(pending);
            return target;
        });
        schedule(runId, queue);
        return answer;
    }

    private void schedule(String runId, RunQueue queue) {
        if (queue.scheduled.compareAndSet(false, true)) {
            try {
                pool.execute(() -> drain(runId, queue));
            } catch (RejectedExecutionException e) {
                queue.scheduled.set(false);
                failAll(queue, shuttingDown());
            }
        }
    }

    private void drain(String runId, RunQueue queue) {
        List<Pending> batch = new ArrayList<>();
        for (Pending p; batch.size() < MAX_BATCH && (p = queue.reports.poll()) != null; ) {
            batch.add(p);
        }
        try {
            if (!batch.isEmpty()) {
                applier.apply(runId, batch);
            }
        } catch (RuntimeException e) {
            batch.forEach(p -> p.answer().completeExceptionally(e));
        } finally {
            queue.scheduled.set(false);
            if (!queue.reports.isEmpty()) {
                schedule(runId, queue); // arrived during this batch: they form the next one
            } else {
                // removed only while still empty and idle: one run never has two queues draining at once
                queues.computeIfPresent(runId,
                        (id, q) -> q == queue && q.reports.isEmpty() && !q.scheduled.get() ? null : q);
            }
        }
    }

    /** UNAVAILABLE for the worker (go to another member), not a stale-lease refusal. */
    private static RuntimeException shuttingDown() {
        return new com.hazelcast.core.HazelcastInstanceNotActiveException("the coordinator is shutting down");
    }

    private static void failAll(RunQueue queue, RuntimeException e) {
        for (Pending p; (p = queue.reports.poll()) != null; ) {
            p.answer().completeExceptionally(e);
        }
    }

    @Override
    public void close() {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(5, TimeUnit.SECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
        queues.values().forEach(q -> failAll(q, shuttingDown()));
    }
}
