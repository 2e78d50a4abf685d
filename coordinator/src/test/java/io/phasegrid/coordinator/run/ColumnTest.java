package io.phasegrid.coordinator.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A column behaves as a plain array that copies in O(chunks): writes on either side of a copy stay on that side. */
class ColumnTest {

    @ParameterizedTest(name = "{0} phases")
    @ValueSource(ints = {0, 1, 255, 256, 257, 1_000, 10_000})
    void aCopyAndItsSourceNeverSeeEachOthersWrites(int size) {
        SplittableRandom rnd = new SplittableRandom(size);
        long[] model = new long[size];
        Column.Longs column = new Column.Longs(size);
        long[] copyModel = null;
        Column.Longs copy = null;
        for (int step = 0; step < 2_000 && size > 0; step++) {
            int i = rnd.nextInt(size);
            long v = rnd.nextLong();
            switch (rnd.nextInt(4)) {
                case 0 -> {
                    column.set(i, v);
                    model[i] = v;
                }
                case 1 -> model[i] = column.add(i, 3);
                case 2 -> {
                    copy = new Column.Longs(column);
                    copyModel = model.clone();
                }
                default -> {
                    if (copy != null) {
                        copy.set(i, v);
                        copyModel[i] = v;
                    }
                }
            }
        }
        assertThat(column.toArray()).containsExactly(model);
        if (copy != null) {
            assertThat(copy.toArray()).containsExactly(copyModel);
        }
        assertThat(Column.Longs.of(model).toArray()).containsExactly(model);
    }

    @ParameterizedTest(name = "{0} phases")
    @ValueSource(ints = {1, 256, 300})
    void everyColumnTypeRoundTripsThroughItsArrayForm(int size) {
        byte[] bytes = new byte[size];
        int[] ints = new int[size];
        String[] strings = new String[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) i;
            ints[i] = i * 7;
            strings[i] = "s" + i;
        }
        Column.Bytes b = Column.Bytes.of(bytes);
        Column.Ints n = Column.Ints.of(ints);
        Column.Strings s = Column.Strings.of(strings);
        Column.Bytes bCopy = new Column.Bytes(b);
        Column.Ints nCopy = new Column.Ints(n);
        Column.Strings sCopy = new Column.Strings(s);
        bCopy.set(size - 1, (byte) 99);
        nCopy.add(0, 1);
        sCopy.set(size / 2, "changed");

        assertThat(b.toArray()).containsExactly(bytes);
        assertThat(n.toArray()).containsExactly(ints);
        assertThat(s.toArray()).containsExactly(strings);
        assertThat(bCopy.get(size - 1)).isEqualTo((byte) 99);
        assertThat(nCopy.get(0)).isEqualTo(1);
        assertThat(sCopy.get(size / 2)).isEqualTo("changed");
        assertThat(new Column.Strings(size, "").get(size - 1)).isEmpty();
    }
}
