package io.phasegrid.worker.executor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Drains a process's output stream on its own thread (so a chatty process never blocks on a full pipe), keeping
 * only the last {@code limit} bytes in memory.
 */
final class OutputTail {

    private final byte[] ring;
    private long total;
    private final Thread thread;

    private OutputTail(int limit, InputStream in, String threadName) {
        this.ring = new byte[limit];
        this.thread = new Thread(() -> drain(in), threadName);
        this.thread.setDaemon(true);
    }

    static OutputTail start(InputStream in, int limit, String threadName) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        OutputTail tail = new OutputTail(limit, in, threadName);
        tail.thread.start();
        return tail;
    }

    private void drain(InputStream in) {
        byte[] buf = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                append(buf, n);
            }
        } catch (IOException e) {
            // stream closed under us (process destroyed): keep what was read
        }
    }

    private synchronized void append(byte[] buf, int n) {
        for (int i = 0; i < n; i++) {
            ring[(int) (total++ % ring.length)] = buf[i];
        }
    }

    /** Waits up to {@code millis} for the stream's end (the writer side closed). */
    void await(long millis) throws InterruptedException {
        thread.join(Math.max(1, millis));
    }

    /** Bytes read in all. */
    synchronized long total() {
        return total;
    }

    /** The last bytes read (at most the limit), as UTF-8 text; a split character at the start is dropped. */
    synchronized String text() {
        int size = (int) Math.min(total, ring.length);
        byte[] out = new byte[size];
        int start = (int) ((total - size) % ring.length);
        for (int i = 0; i < size; i++) {
            out[i] = ring[(start + i) % ring.length];
        }
        int skip = 0;
        if (total > ring.length) {
            while (skip < size && (out[skip] & 0xC0) == 0x80) {
                skip++;
            }
        }
        return new String(out, skip, size - skip, StandardCharsets.UTF_8);
    }
}
