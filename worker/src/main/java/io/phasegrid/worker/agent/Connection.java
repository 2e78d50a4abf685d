package io.phasegrid.worker.agent;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.phasegrid.proto.v1.RegisterWorkerRequest;
import io.phasegrid.proto.v1.RegisterWorkerResponse;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's registered session with one coordinator member, shared by all agent threads. The first thread that
 * needs a session while there is none connects (addresses in order, moving to the next on failure, with backoff
 * between attempts) and registers; the others wait for it. A thread whose call failed with a transport error
 * reports the session {@link #broken}; the next {@link #session()} reconnects to the next address.
 */
final class Connection implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Connection.class);

    /** Default heartbeat interval when the coordinator does not name one. */
    static final long DEFAULT_HEARTBEAT_MS = 10_000;

    /** A registered link; replaced as a whole on reconnection. */
    record Session(CoordinatorLink link, String workerId, long heartbeatIntervalMs, long leaseTtlMs, long generation) {
    }

    private final List<String> addresses;
    private final CoordinatorLink.Factory factory;
    private final Backoff backoff;
    private final RegisterWorkerRequest registration;
    private final Runnable onReconnect;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition closedCondition = lock.newCondition();

    private volatile Session session; // written under the lock; read without it by connected()
    private int index;
    private int failures;
    private long generation;
    private volatile boolean closed;

    /** {@code onReconnect} runs (under the lock: keep it short) each time a session replaces a lost one. */
    Connection(List<String> addresses, CoordinatorLink.Factory factory, Backoff backoff,
               RegisterWorkerRequest registration, Runnable onReconnect) {
        this.addresses = List.copyOf(addresses);
        this.factory = factory;
        this.backoff = backoff;
        this.registration = registration;
        this.onReconnect = onReconnect;
    }

    /** Whether a failure of a call is a transport failure that calls for another connection. */
    static boolean isTransient(StatusRuntimeException e) {
        Status.Code code = e.getStatus().getCode();
        return code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED;
    }

    /** The current session; connects and registers first when there is none (blocks until it succeeds). */
    Session session() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (session == null) {
                if (closed) {
                    throw new InterruptedException("connection closed");
                }
                if (failures > 0) {
                    long delay = backoff.delayMillis(failures, ThreadLocalRandom.current());
                    long nanos = TimeUnit.MILLISECONDS.toNanos(delay);
                    while (nanos > 0 && !closed) {
                        nanos = closedCondition.awaitNanos(nanos);
                    }
                    if (closed) {
                        throw new InterruptedException("connection closed");
                    }
                    if (session != null) {
                        break; // another thread connected while this one waited (the wait releases the lock)
                    }
                }
                connect(addresses.get(index % addresses.size()));
            }
            return session;
        } finally {
            lock.unlock();
        }
    }

    private void connect(String address) throws InterruptedException {
        CoordinatorLink link = null;
        try {
            link = factory.connect(address);
            RegisterWorkerResponse answer = link.register(registration);
            long interval = answer.getHeartbeatIntervalMs() > 0 ? answer.getHeartbeatIntervalMs()
                    : DEFAULT_HEARTBEAT_MS;
            long ttl = answer.getLeaseTtlMs() > interval ? answer.getLeaseTtlMs() : 3 * interval;
            session = new Session(link, answer.getWorkerId(), interval, ttl, ++generation);
            failures = 0;
            log.info("worker {} registered with {} as {} (heartbeat every {} ms, lease ttl {} ms)",
                    registration.getName(), address, answer.getWorkerId(), interval, answer.getLeaseTtlMs());
            if (generation > 1) {
                onReconnect.run();
            }
        } catch (RuntimeException e) {
            if (link != null) {
                link.close();
            }
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while connecting to " + address);
            }
            failures++;
            index++;
            log.warn("worker {} cannot register with {}: {}; next attempt at {}", registration.getName(), address,
                    describe(e), addresses.get(index % addresses.size()));
        }
    }

    /**
     * The session failed with a transport error: closes its link and moves on to the next address. A session that
     * was already replaced is left alone (another thread got there first).
     */
    void broken(Session broken, Throwable cause) {
        lock.lock();
        try {
            if (session == broken && broken != null) {
                session = null;
                broken.link().close();
                index++;
                failures = 1;
                log.warn("worker {} lost {}: {}; reconnecting", registration.getName(), broken.link().address(),
                        describe(cause));
            }
        } finally {
            lock.unlock();
        }
    }

    /** Whether there is a registered session now (none before the first registration, after a loss, once closed). */
    boolean connected() {
        // no lock: a readiness probe must not wait for a registration in progress
        return session != null && !closed;
    }

    /** Whether {@code s} is still the current session. */
    boolean isCurrent(Session s) {
        lock.lock();
        try {
            return session == s;
        } finally {
            lock.unlock();
        }
    }

    /** Closes the link; threads waiting to connect give up. Idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            if (session != null) {
                session.link().close();
                session = null;
            }
            closedCondition.signalAll();
        } finally {
            lock.unlock();
        }
    }

    static String describe(Throwable e) {
        if (e instanceof StatusRuntimeException s) {
            return s.getStatus().getCode() + (s.getStatus().getDescription() != null
                    ? " " + s.getStatus().getDescription() : "");
        }
        return String.valueOf(e);
    }
}
