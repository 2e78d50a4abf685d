package io.phasegrid.worker.agent;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The worker's slots: the poller reserves free ones before it polls (never fewer than one, so it never takes work it
 * cannot start), a started phase keeps the slot it was leased with until its executor returns. Also counts the
 * slots busy executing, for heartbeats and metrics.
 */
final class Slots {

    private final int total;
    private final Semaphore free;
    private final AtomicInteger busy = new AtomicInteger();

    Slots(int total) {
        this.total = total;
        this.free = new Semaphore(total);
    }

    int total() {
        return total;
    }

    /** Waits for one free slot, then takes every other free one too; returns how many are reserved (>= 1). */
    int reserve() throws InterruptedException {
        free.acquire();
        return 1 + free.drainPermits();
    }

    /** Gives reserved slots back (unused ones after a poll, or a phase's slot when it ends). */
    void release(int slots) {
        free.release(slots);
    }

    void executionStarted() {
        busy.incrementAndGet();
    }

    void executionEnded() {
        busy.decrementAndGet();
    }

    /** Slots executing a phase now. */
    int busy() {
        return busy.get();
    }
}
