package io.phasegrid.coordinator.run;

import java.util.Arrays;

/**
 * A binary min-heap of (key, value, tag) entries ordered by key then value, on primitive arrays (no boxing, cheap to
 * copy). The tag is carried along for the owner's lazy-deletion checks.
 */
final class LongIntHeap {

    private long[] keys;
    private int[] values;
    private long[] tags;
    private int size;

    LongIntHeap(int capacity) {
        int c = Math.max(4, capacity);
        keys = new long[c];
        values = new int[c];
        tags = new long[c];
    }

    /** A copy with room to grow, so the copy's next {@link #add} does not copy the arrays again. */
    LongIntHeap(LongIntHeap other) {
        int capacity = Math.max(4, other.size + Math.max(16, other.size >>> 3));
        keys = Arrays.copyOf(other.keys, capacity);
        values = Arrays.copyOf(other.values, capacity);
        tags = Arrays.copyOf(other.tags, capacity);
        size = other.size;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    long peekKey() {
        return keys[0];
    }

    int peekValue() {
        return values[0];
    }

    long peekTag() {
        return tags[0];
    }

    void clear() {
        size = 0;
    }

    void add(long key, int value, long tag) {
        if (size == keys.length) {
            int c = size * 2;
            keys = Arrays.copyOf(keys, c);
            values = Arrays.copyOf(values, c);
            tags = Arrays.copyOf(tags, c);
        }
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(key, value, keys[parent], values[parent])) {
                break;
            }
            move(parent, i);
            i = parent;
        }
        keys[i] = key;
        values[i] = value;
        tags[i] = tag;
    }

    /** Removes the top entry (read it first with the peek methods). */
    void remove() {
        if (size == 0) {
            throw new java.util.NoSuchElementException("empty heap");
        }
        int last = --size;
        if (last > 0) {
            move(last, 0);
            siftDown(0);
        }
    }

    /** Which entries {@link #retain} keeps. */
    @FunctionalInterface
    interface EntryFilter {
        boolean keep(int value, long tag);
    }

    /** Drops the entries the filter rejects and restores heap order: O(size). */
    void retain(EntryFilter filter) {
        int kept = 0;
        for (int i = 0; i < size; i++) {
            if (filter.keep(values[i], tags[i])) {
                move(i, kept++);
            }
        }
        size = kept;
        for (int i = (size >>> 1) - 1; i >= 0; i--) {
            siftDown(i);
        }
    }

    private void siftDown(int from) {
        long key = keys[from];
        int value = values[from];
        long tag = tags[from];
        int i = from;
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && before(keys[child + 1], values[child + 1], keys[child], values[child])) {
                child++;
            }
            if (!before(keys[child], values[child], key, value)) {
                break;
            }
            move(child, i);
            i = child;
        }
        keys[i] = key;
        values[i] = value;
        tags[i] = tag;
    }

    /** The live entries' keys in heap order, for the codec (so reading them back needs no re-heapify). */
    long[] keys() {
        return Arrays.copyOf(keys, size);
    }

    /** The live entries' values in heap order. */
    int[] values() {
        return Arrays.copyOf(values, size);
    }

    /** The live entries' tags in heap order. */
    long[] tags() {
        return Arrays.copyOf(tags, size);
    }

    /** The inverse of {@link #keys()}, {@link #values()} and {@link #tags()}: a heap of these entries as they are. */
    static LongIntHeap of(long[] keys, int[] values, long[] tags) {
        if (values.length != keys.length || tags.length != keys.length) {
            throw new IllegalArgumentException("heap arrays of different lengths");
        }
        LongIntHeap heap = new LongIntHeap(keys.length);
        System.arraycopy(keys, 0, heap.keys, 0, keys.length);
        System.arraycopy(values, 0, heap.values, 0, values.length);
        System.arraycopy(tags, 0, heap.tags, 0, tags.length);
        heap.size = keys.length;
        return heap;
    }

    private void move(int from, int to) {
        keys[to] = keys[from];
        values[to] = values[from];
        tags[to] = tags[from];
    }

    private static boolean before(long k1, int v1, long k2, int v2) {
        return k1 < k2 || (k1 == k2 && v1 < v2);
    }
}
