package io.phasegrid.coordinator.run.store.codec;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import io.phasegrid.coordinator.run.WireInput;
import io.phasegrid.coordinator.run.WireOutput;
import java.io.IOException;

/** The run codecs' {@link WireOutput} and {@link WireInput} over Hazelcast's object streams. */
public final class HazelcastWire {

    private HazelcastWire() {
    }

    public static WireOutput of(ObjectDataOutput out) {
        return new Out(out);
    }

    public static WireInput of(ObjectDataInput in) {
        return new In(in);
    }

    private record Out(ObjectDataOutput out) implements WireOutput {
        @Override
        public void writeBoolean(boolean value) throws IOException {
            out.writeBoolean(value);
        }

        @Override
        public void writeByte(int value) throws IOException {
            out.writeByte(value);
        }

        @Override
        public void writeInt(int value) throws IOException {
            out.writeInt(value);
        }

        @Override
        public void writeLong(long value) throws IOException {
            out.writeLong(value);
        }

        @Override
        public void writeDouble(double value) throws IOException {
            out.writeDouble(value);
        }

        @Override
        public void writeString(String value) throws IOException {
            out.writeString(value);
        }

        @Override
        public void writeBooleanArray(boolean[] values) throws IOException {
            out.writeBooleanArray(values);
        }

        @Override
        public void writeByteArray(byte[] values) throws IOException {
            out.writeByteArray(values);
        }

        @Override
        public void writeIntArray(int[] values) throws IOException {
            out.writeIntArray(values);
        }

        @Override
        public void writeLongArray(long[] values) throws IOException {
            out.writeLongArray(values);
        }

        @Override
        public void writeStringArray(String[] values) throws IOException {
            out.writeStringArray(values);
        }
    }

    private record In(ObjectDataInput in) implements WireInput {
        @Override
        public boolean readBoolean() throws IOException {
            return in.readBoolean();
        }

        @Override
        public byte readByte() throws IOException {
            return in.readByte();
        }

        @Override
        public int readInt() throws IOException {
            return in.readInt();
        }

        @Override
        public long readLong() throws IOException {
            return in.readLong();
        }

        @Override
        public double readDouble() throws IOException {
            return in.readDouble();
        }

        @Override
        public String readString() throws IOException {
            return in.readString();
        }

        @Override
        public boolean[] readBooleanArray() throws IOException {
            return in.readBooleanArray();
        }

        @Override
        public byte[] readByteArray() throws IOException {
            return in.readByteArray();
        }

        @Override
        public int[] readIntArray() throws IOException {
            return in.readIntArray();
        }

        @Override
        public long[] readLongArray() throws IOException {
            return in.readLongArray();
        }

        @Override
        public String[] readStringArray() throws IOException {
            return in.readStringArray();
        }
    }
}
