package io.phasegrid.worker.agent;

import io.phasegrid.worker.executor.ExecutionListener;
import io.phasegrid.worker.executor.PhaseExecutor;
import io.phasegrid.worker.executor.PhaseOutcome;
import io.phasegrid.worker.executor.PhaseTask;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Executors for the agent's specifications. */
final class TestExecutors {

    private TestExecutors() {
    }

    /** Wraps an executor and records which phases started and ended, and how many ran at once. */
    static final class Counting implements PhaseExecutor {
        private final PhaseExecutor delegate;
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger maxRunning = new AtomicInteger();
        final List<String> started = new CopyOnWriteArrayList<>();
        /** Phase key -> how it ended ("SUCCEEDED", "ABANDONED", "INTERRUPTED", ...). */
        final Map<String, String> ended = new ConcurrentHashMap<>();

        Counting(PhaseExecutor delegate) {
            this.delegate = delegate;
        }

        @Override
        public PhaseOutcome execute(PhaseTask task, ExecutionListener listener) throws InterruptedException {
            int now = running.incrementAndGet();
            maxRunning.accumulateAndGet(now, Math::max);
            started.add(task.phaseKey());
            try {
                PhaseOutcome outcome = delegate.execute(task, listener);
                ended.put(task.phaseKey(), outcome.status().name());
                return outcome;
            } catch (InterruptedException e) {
                ended.put(task.phaseKey(), "INTERRUPTED");
                throw e;
            } finally {
                running.decrementAndGet();
            }
        }
    }

    /**
     * Runs until the test opens the phase's gate (then SUCCEEDED with the estimate), the agent cancels it
     * (ABANDONED, 0 tokens) or interrupts it (InterruptedException).
     */
    static final class Gated implements PhaseExecutor {
        private final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();

        void open(String phaseKey) {
            gate(phaseKey).countDown();
        }

        private CountDownLatch gate(String phaseKey) {
            return gates.computeIfAbsent(phaseKey, k -> new CountDownLatch(1));
        }

        @Override
        public PhaseOutcome execute(PhaseTask task, ExecutionListener listener) throws InterruptedException {
            CountDownLatch gate = gate(task.phaseKey());
            while (!gate.await(20, TimeUnit.MILLISECONDS)) {
                if (listener.cancelled()) {
                    return PhaseOutcome.abandoned(0);
                }
            }
            return PhaseOutcome.succeeded(task.estimatedTokens());
        }
    }
}
