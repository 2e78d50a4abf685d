package io.phasegrid.worker.executor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Destroys a process and its descendants by process handle (pid and start time, so a reused pid is never hit);
 * never by name. Descendants are collected before their parent dies, since an orphan is no longer a descendant.
 */
public final class ProcessTree {

    private static final long POLL_MS = 10;
    private static final Duration AFTER_KILL = Duration.ofSeconds(2);

    private ProcessTree() {
    }

    /**
     * Sends every process of the tree (the root, its current descendants and the {@code known} handles) a polite
     * termination request, waits up to {@code grace} for them to exit, then kills the survivors forcibly. Works on
     * an interrupted thread (the interrupt flag is kept).
     */
    public static void destroy(ProcessHandle root, Collection<ProcessHandle> known, Duration grace) {
        boolean interrupted = Thread.interrupted();
        try {
            Set<ProcessHandle> tree = new LinkedHashSet<>();
            tree.add(root);
            collect(List.of(root), tree);
            tree.addAll(known);
            collect(new ArrayList<>(known), tree);
            tree.forEach(ProcessHandle::destroy);
            awaitExit(tree, grace);
            // Anything spawned meanwhile by a process that was still alive.
            collect(alive(tree), tree);
            List<ProcessHandle> survivors = alive(tree);
            if (!survivors.isEmpty()) {
                survivors.forEach(ProcessHandle::destroyForcibly);
                awaitExit(tree, AFTER_KILL);
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Destroys the {@code known} handles still alive (strays left by a process that has exited). */
    public static void destroyAlive(Collection<ProcessHandle> known, Duration grace) {
        List<ProcessHandle> alive = alive(known);
        if (alive.isEmpty()) {
            return;
        }
        ProcessHandle first = alive.get(0);
        destroy(first, alive.subList(1, alive.size()), grace);
    }

    private static void collect(Collection<ProcessHandle> parents, Set<ProcessHandle> into) {
        for (ProcessHandle parent : parents) {
            try {
                parent.descendants().forEach(into::add);
            } catch (RuntimeException e) {
                // the process is gone or not ours to inspect: nothing to collect
            }
        }
    }

    private static List<ProcessHandle> alive(Collection<ProcessHandle> handles) {
        return handles.stream().filter(ProcessHandle::isAlive).toList();
    }

    private static void awaitExit(Collection<ProcessHandle> handles, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!alive(handles).isEmpty() && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                // keep waiting: the caller restores the flag
            }
        }
    }
}
