package io.phasegrid.coordinator.store;

import io.phasegrid.coordinator.run.WireInput;
import io.phasegrid.coordinator.run.WireOutput;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The stored parts' binary form ({@link RunRecordMapStore}): numbers as zigzag varints, array elements as the
 * difference from the one before (a chunk's times and counters are close to each other, its unused fields zero),
 * strings as UTF-8 and a string array's repeated values (worker ids, empty reasons) as references to their first
 * occurrence. About a quarter of the fixed-width form of a chunk of phases, for the same CPU.
 */
final class CompactWire {

    private CompactWire() {
    }

    /** Writes into a growing byte array. */
    static final class Out implements WireOutput {
        private byte[] buf;
        private int size;

        Out(int capacity) {
            buf = new byte[Math.max(16, capacity)];
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, size);
        }

        int size() {
            return size;
        }

        private void ensure(int more) {
            if (size + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
            }
        }

        private void varint(long v) {
            ensure(10);
            while ((v & ~0x7FL) != 0) {
                buf[size++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buf[size++] = (byte) v;
        }

        private void zigzag(long v) {
            varint((v << 1) ^ (v >> 63));
        }

        /** -1 for null, else the length. */
        private void length(Object array, int length) {
            zigzag(array == null ? -1 : length);
        }

        @Override
        public void writeBoolean(boolean value) {
            writeByte(value ? 1 : 0);
        }

        @Override
        public void writeByte(int value) {
            ensure(1);
            buf[size++] = (byte) value;
        }

        @Override
        public void writeInt(int value) {
            zigzag(value);
        }

        @Override
        public void writeLong(long value) {
            zigzag(value);
        }

        @Override
        public void writeDouble(double value) {
            long bits = Double.doubleToRawLongBits(value);
            ensure(8);
            for (int i = 0; i < 8; i++) {
                buf[size++] = (byte) (bits >>> (8 * i));
            }
        }

        @Override
        public void writeString(String value) {
            if (value == null) {
                zigzag(-1);
                return;
            }
            int n = value.length();
            boolean ascii = true;
            for (int i = 0; i < n && ascii; i++) {
                ascii = value.charAt(i) < 0x80;
            }
            if (ascii) {
                zigzag(n);
                ensure(n);
                for (int i = 0; i < n; i++) {
                    buf[size++] = (byte) value.charAt(i);
                }
                return;
            }
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            zigzag(utf8.length);
            ensure(utf8.length);
            System.arraycopy(utf8, 0, buf, size, utf8.length);
            size += utf8.length;
        }

        @Override
        public void writeBooleanArray(boolean[] values) {
            length(values, values == null ? 0 : values.length);
            for (int i = 0; values != null && i < values.length; i++) {
                writeBoolean(values[i]);
            }
        }

        @Override
        public void writeByteArray(byte[] values) {
            length(values, values == null ? 0 : values.length);
            if (values != null) {
                ensure(values.length);
                System.arraycopy(values, 0, buf, size, values.length);
                size += values.length;
            }
        }

        @Override
        public void writeIntArray(int[] values) {
            length(values, values == null ? 0 : values.length);
            long previous = 0;
            for (int i = 0; values != null && i < values.length; i++) {
                zigzag(values[i] - previous);
                previous = values[i];
            }
        }

        @Override
        public void writeLongArray(long[] values) {
            length(values, values == null ? 0 : values.length);
            long previous = 0;
            for (int i = 0; values != null && i < values.length; i++) {
                zigzag(values[i] - previous);
                previous = values[i];
            }
        }

        /** Each element: 0 null, 1 a new string (written next), k + 2 the k-th new string of this array. */
        @Override
        public void writeStringArray(String[] values) {
            length(values, values == null ? 0 : values.length);
            if (values == null) {
                return;
            }
            Map<String, Integer> seen = new HashMap<>();
            for (String value : values) {
                if (value == null) {
                    varint(0);
                    continue;
                }
                Integer k = seen.get(value);
                if (k != null) {
                    varint(k + 2L);
                } else {
                    seen.put(value, seen.size());
                    varint(1);
                    writeString(value);
                }
            }
        }
    }

    /** Reads what {@link Out} wrote. */
    static final class In implements WireInput {
        private final byte[] buf;
        private int pos;

        In(byte[] buf) {
            this.buf = buf;
        }

        private byte next() throws EOFException {
            if (pos >= buf.length) {
                throw new EOFException("end of a stored part after " + pos + " bytes");
            }
            return buf[pos++];
        }

        private long varint() throws IOException {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte b = next();
                v |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return v;
                }
            }
            throw new IOException("a varint of more than 10 bytes");
        }

        private long zigzag() throws IOException {
            long v = varint();
            return (v >>> 1) ^ -(v & 1);
        }

        /** -1 for null. */
        private int length() throws IOException {
            long n = zigzag();
            if (n < -1 || n > buf.length - pos) { // every element takes a byte at least
                throw new IOException("a length of " + n);
            }
            return (int) n;
        }

        @Override
        public boolean readBoolean() throws IOException {
            return next() != 0;
        }

        @Override
        public byte readByte() throws IOException {
            return next();
        }

        @Override
        public int readInt() throws IOException {
            return (int) zigzag();
        }

        @Override
        public long readLong() throws IOException {
            return zigzag();
        }

        @Override
        public double readDouble() throws IOException {
            long bits = 0;
            for (int i = 0; i < 8; i++) {
                bits |= (long) (next() & 0xFF) << (8 * i);
            }
            return Double.longBitsToDouble(bits);
        }

        @Override
        public String readString() throws IOException {
            int n = length();
            if (n < 0) {
                return null;
            }
            if (n > buf.length - pos) {
                throw new EOFException("a string of " + n + " bytes after " + pos + " of " + buf.length);
            }
            String s = new String(buf, pos, n, StandardCharsets.UTF_8);
            pos += n;
            return s;
        }

        @Override
        public boolean[] readBooleanArray() throws IOException {
            int n = length();
            if (n < 0) {
                return null;
            }
            boolean[] out = new boolean[n];
            for (int i = 0; i < n; i++) {
                out[i] = readBoolean();
            }
            return out;
        }

        @Override
        public byte[] readByteArray() throws IOException {
            int n = length();
            if (n < 0) {
                return null;
            }
            if (n > buf.length - pos) {
                throw new EOFException("a byte array of " + n + " after " + pos + " of " + buf.length);
            }
            byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
            pos += n;
            return out;
        }

        @Override
        public int[] readIntArray() throws IOException {
            int n = length();
            if (n < 0) {
                return null;
            }
            int[] out = new int[n];
            long previous = 0;
            for (int i = 0; i < n; i++) {
                previous += zigzag();
                out[i] = (int) previous;
            }
            return out;
        }

        @Override
        public long[] readLongArray() throws IOException {
            int n = length();
            if (n < 0) {
                return null;
            }
            long[] out = new long[n];
            long previous = 0;
            for (int i = 0; i < n; i++) {
                previous += zigzag();
                out[i] = previous;
            }
            return out;
        }

        @Override
        public String[] readStringArray() throws IOException {
            int n = length();
            if (n < 0) {
                return null;
            }
            String[] out = new String[n];
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                long code = varint();
                if (code == 1) {
                    out[i] = readString();
                    seen.add(out[i]);
                } else if (code >= 2) {
                    if (code - 2 >= seen.size()) {
                        throw new IOException("a reference to string " + (code - 2) + " of " + seen.size());
                    }
                    out[i] = seen.get((int) (code - 2));
                }
            }
            return out;
        }
    }
}
