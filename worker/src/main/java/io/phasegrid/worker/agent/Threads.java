package io.phasegrid.worker.agent;

import static io.phasegrid.worker.agent.AgentLog.LOG;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Waiting for threads and latches during a drain, keeping an interrupt for the caller. */
final class Threads {

    private Threads() {
    }

    /** Joins {@code t} for at most {@code ms}, logging when it did not stop. */
    static void joinUninterruptibly(Thread t, long ms) {
        boolean interrupted = false;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        while (t.isAlive()) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                LOG.error("thread {} did not stop within {} ms", t.getName(), ms);
                break;
            }
            try {
                t.join(left);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
