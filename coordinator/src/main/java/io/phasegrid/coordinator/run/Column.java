package io.phasegrid.coordinator.run;

import java.util.Arrays;

/**
 * One per-phase field of a {@link RunRecord}, stored in chunks of {@value #CHUNK} phases that copies share until
 * they write: every transition works on a copy of the stored record (processors are copy-on-write), and a copy of
 * whole arrays cost O(phases) per call, about 1 MB at 10,000 phases. A copy now costs O(phases / 256) references,
 * and a transition copies only the chunks it writes.
 *
 * <p>Not thread-safe, like the record. Taking a copy gives up the source's ownership of its chunks too, so either
 * side may go on writing without the other seeing it.
 *
 * @param <A> the chunk type, a primitive or String array
 */
abstract class Column<A> {

    static final int SHIFT = 8;
    static final int CHUNK = 1 << SHIFT;
    static final int MASK = CHUNK - 1;

    final int size;
    final A[] chunks;
    private final boolean[] owned;

    /** A column of {@code size} default values, owning every chunk. */
    Column(int size) {
        this.size = size;
        chunks = newChunkTable((size + CHUNK - 1) >>> SHIFT);
        for (int c = 0; c < chunks.length; c++) {
            chunks[c] = newChunk(Math.min(CHUNK, size - (c << SHIFT)));
        }
        owned = new boolean[chunks.length];
        Arrays.fill(owned, true);
    }

    /** A copy sharing every chunk of {@code source}; neither owns them any more. */
    Column(Column<A> source) {
        size = source.size;
        chunks = source.chunks.clone();
        owned = new boolean[chunks.length];
        Arrays.fill(source.owned, false);
    }

    abstract A[] newChunkTable(int chunks);

    abstract A newChunk(int length);

    abstract A copyOf(A chunk);

    final A chunkOf(int i) {
        return chunks[i >>> SHIFT];
    }

    /** The chunk of phase {@code i}, copied first if it is shared. */
    final A writableChunkOf(int i) {
        int c = i >>> SHIFT;
        if (!owned[c]) {
            chunks[c] = copyOf(chunks[c]);
            owned[c] = true;
        }
        return chunks[c];
    }

    /** Copies {@code values} (one per phase) into the chunks. */
    final void fill(A values) {
        for (int c = 0; c < chunks.length; c++) {
            int from = c << SHIFT;
            System.arraycopy(values, from, writableChunkOf(from), 0, Math.min(CHUNK, size - from));
        }
    }

    /** The values as one array, for serialization. */
    final A toArray() {
        A out = newChunk(size);
        for (int c = 0; c < chunks.length; c++) {
            int from = c << SHIFT;
            System.arraycopy(chunks[c], 0, out, from, Math.min(CHUNK, size - from));
        }
        return out;
    }

    static final class Bytes extends Column<byte[]> {
        Bytes(int size) {
            super(size);
        }

        Bytes(Bytes source) {
            super(source);
        }

        static Bytes of(byte[] values) {
            Bytes column = new Bytes(values.length);
            column.fill(values);
            return column;
        }

        byte get(int i) {
            return chunkOf(i)[i & MASK];
        }

        void set(int i, byte value) {
            writableChunkOf(i)[i & MASK] = value;
        }

        @Override
        byte[][] newChunkTable(int count) {
            return new byte[count][];
        }

        @Override
        byte[] newChunk(int length) {
            return new byte[length];
        }

        @Override
        byte[] copyOf(byte[] chunk) {
            return chunk.clone();
        }
    }

    static final class Ints extends Column<int[]> {
        Ints(int size) {
            super(size);
        }

        Ints(Ints source) {
            super(source);
        }

        static Ints of(int[] values) {
            Ints column = new Ints(values.length);
            column.fill(values);
            return column;
        }

        int get(int i) {
            return chunkOf(i)[i & MASK];
        }

        void set(int i, int value) {
            writableChunkOf(i)[i & MASK] = value;
        }

        /** Adds {@code delta} and returns the new value. */
        int add(int i, int delta) {
            return writableChunkOf(i)[i & MASK] += delta;
        }

        @Override
        int[][] newChunkTable(int count) {
            return new int[count][];
        }

        @Override
        int[] newChunk(int length) {
            return new int[length];
        }

        @Override
        int[] copyOf(int[] chunk) {
            return chunk.clone();
        }
    }

    static final class Longs extends Column<long[]> {
        Longs(int size) {
            super(size);
        }

        Longs(Longs source) {
            super(source);
        }

        static Longs of(long[] values) {
            Longs column = new Longs(values.length);
            column.fill(values);
            return column;
        }

        long get(int i) {
            return chunkOf(i)[i & MASK];
        }

        void set(int i, long value) {
            writableChunkOf(i)[i & MASK] = value;
        }

        /** Adds {@code delta} and returns the new value. */
        long add(int i, long delta) {
            return writableChunkOf(i)[i & MASK] += delta;
        }

        @Override
        long[][] newChunkTable(int count) {
            return new long[count][];
        }

        @Override
        long[] newChunk(int length) {
            return new long[length];
        }

        @Override
        long[] copyOf(long[] chunk) {
            return chunk.clone();
        }
    }

    static final class Strings extends Column<String[]> {
        /** A column of {@code size} copies of {@code initial}. */
        Strings(int size, String initial) {
            super(size);
            for (String[] chunk : chunks) {
                Arrays.fill(chunk, initial);
            }
        }

        Strings(Strings source) {
            super(source);
        }

        static Strings of(String[] values) {
            Strings column = new Strings(values.length, null);
            column.fill(values);
            return column;
        }

        String get(int i) {
            return chunkOf(i)[i & MASK];
        }

        void set(int i, String value) {
            writableChunkOf(i)[i & MASK] = value;
        }

        @Override
        String[][] newChunkTable(int count) {
            return new String[count][];
        }

        @Override
        String[] newChunk(int length) {
            return new String[length];
        }

        @Override
        String[] copyOf(String[] chunk) {
            return chunk.clone();
        }
    }
}
