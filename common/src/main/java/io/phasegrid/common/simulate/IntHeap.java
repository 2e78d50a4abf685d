package io.phasegrid.common.simulate;

import java.util.Arrays;

/** A binary min-heap of ints ordered by a caller's comparison, without boxing. */
final class IntHeap {

    /** Strict order: true when {@code a} must come out before {@code b}. */
    @FunctionalInterface
    interface Order {
        boolean before(int a, int b);
    }

    private final Order order;
    private int[] items;
    private int size;

    IntHeap(Order order, int capacity) {
        this.order = order;
        this.items = new int[Math.max(1, capacity)];
    }

    boolean isEmpty() {
        return size == 0;
    }

    int peek() {
        return items[0];
    }

    void add(int item) {
        if (size == items.length) {
            items = Arrays.copyOf(items, size * 2);
        }
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!order.before(item, items[parent])) {
                break;
            }
            items[i] = items[parent];
            i = parent;
        }
        items[i] = item;
    }

    int poll() {
        int top = items[0];
        int last = items[--size];
        int i = 0;
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && order.before(items[child + 1], items[child])) {
                child++;
            }
            if (!order.before(items[child], last)) {
                break;
            }
            items[i] = items[child];
            i = child;
        }
        if (size > 0) {
            items[i] = last;
        }
        return top;
    }
}
