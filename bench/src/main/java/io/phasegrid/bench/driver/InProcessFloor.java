package io.phasegrid.bench.driver;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * Floor A: the DAG executed in process with {@link CompletableFuture}s, no distribution at all. Every phase is a
 * no-op task started on {@code pool} when its dependencies' futures completed ({@code allOf(deps).thenRunAsync}).
 */
final class InProcessFloor {

    private InProcessFloor() {
    }

    /** Runs the DAG once; returns the wall time in ms from building the first future to the last completing. */
    static double run(Dag dag, ExecutorService pool) {
        int n = dag.size();
        @SuppressWarnings("unchecked")
        CompletableFuture<Void>[] done = new CompletableFuture[n + 1];
        Runnable noop = () -> { };
        long t0 = System.nanoTime();
        for (int i = 1; i <= n; i++) {
            int[] deps = dag.dependenciesOf(i);
            if (deps.length == 0) {
                done[i] = CompletableFuture.runAsync(noop, pool);
            } else if (deps.length == 1) {
                done[i] = done[deps[0]].thenRunAsync(noop, pool);
            } else {
                CompletableFuture<?>[] waits = new CompletableFuture<?>[deps.length];
                for (int k = 0; k < deps.length; k++) {
                    waits[k] = done[deps[k]];
                }
                done[i] = CompletableFuture.allOf(waits).thenRunAsync(noop, pool);
            }
        }
        CompletableFuture<?>[] all = new CompletableFuture<?>[n];
        System.arraycopy(done, 1, all, 0, n);
        CompletableFuture.allOf(all).join();
        return (System.nanoTime() - t0) / 1e6;
    }
}
