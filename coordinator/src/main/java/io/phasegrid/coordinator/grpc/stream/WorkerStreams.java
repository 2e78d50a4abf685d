package io.phasegrid.coordinator.grpc.stream;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.phasegrid.proto.v1.CoordinatorMessage;
import io.phasegrid.proto.v1.WorkerMessage;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The open {@code Connect} streams of one server and the pool their blocking operations (long polls, map calls) run
 * on, never on a stream's own inbound thread.
 */
public final class WorkerStreams {

    private final Supplier<StreamOperations> operations;
    private final ThreadPoolExecutor work;
    private final Set<WorkerStream> open = ConcurrentHashMap.newKeySet();

    /** @param operations called when a stream opens, in its call's context: the operations of that caller */
    public WorkerStreams(Supplier<StreamOperations> operations) {
        this.operations = operations;
        AtomicInteger n = new AtomicInteger();
        this.work = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                r -> {
                    Thread t = new Thread(r, "phasegrid-worker-stream-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    /** A new stream for one worker; {@code responses} is the server's end of the call. */
    public StreamObserver<WorkerMessage> open(StreamObserver<CoordinatorMessage> responses) {
        WorkerStream stream = new WorkerStream(operations.get(), this,
                (ServerCallStreamObserver<CoordinatorMessage>) responses, work);
        open.add(stream);
        return stream;
    }

    /** Connect streams open now. */
    public int openCount() {
        return open.size();
    }

    void ended(WorkerStream stream) {
        open.remove(stream);
    }

    /**
     * Before the server stops: ends every open stream (the workers reconnect to another member at once; a graceful
     * server shutdown would otherwise wait for them) and stops the pool.
     */
    public void endAll() {
        for (WorkerStream stream : open) {
            stream.end(); // ended() takes it out of the set
        }
        work.shutdown();
    }

    /** Waits for the operations still running (a poll that returns late hands its leases back). */
    public void awaitWork(long timeout, TimeUnit unit) throws InterruptedException {
        work.awaitTermination(timeout, unit);
    }
}
