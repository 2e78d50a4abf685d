package io.phasegrid.coordinator.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The heap pops what a {@link PriorityQueue} ordered by key then value pops, through adds, removes and retains. */
class LongIntHeapTest {

    private record Entry(long key, int value, long tag) {
    }

    private static final Comparator<Entry> ORDER = Comparator.comparingLong(Entry::key).thenComparingInt(Entry::value);

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 200);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void popsInKeyThenValueOrderThroughAddsRemovesRetainsAndCopies(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        LongIntHeap heap = new LongIntHeap(rnd.nextInt(8));
        PriorityQueue<Entry> model = new PriorityQueue<>(ORDER);
        for (int step = 0; step < 500; step++) {
            int op = rnd.nextInt(10);
            if (op < 5) {
                Entry e = new Entry(rnd.nextInt(50), rnd.nextInt(20), rnd.nextLong());
                heap.add(e.key(), e.value(), e.tag());
                model.add(e);
            } else if (op < 8 && !model.isEmpty()) {
                Entry expected = model.poll();
                assertThat(heap.peekKey()).isEqualTo(expected.key());
                assertThat(heap.peekValue()).isEqualTo(expected.value());
                heap.remove();
            } else if (op == 8) {
                int odd = rnd.nextInt(2);
                heap.retain((value, tag) -> (value & 1) == odd);
                model.removeIf(e -> (e.value() & 1) != odd);
            } else {
                heap = new LongIntHeap(heap);
            }
            assertThat(heap.size()).isEqualTo(model.size());
        }
        List<Entry> drained = new ArrayList<>();
        while (!heap.isEmpty()) {
            drained.add(new Entry(heap.peekKey(), heap.peekValue(), heap.peekTag()));
            heap.remove();
        }
        List<Entry> expected = new ArrayList<>();
        while (!model.isEmpty()) {
            expected.add(model.poll());
        }
        assertThat(drained).extracting(Entry::key).containsExactlyElementsOf(
                expected.stream().map(Entry::key).toList());
        assertThat(drained).extracting(Entry::value).containsExactlyElementsOf(
                expected.stream().map(Entry::value).toList());
    }
}
