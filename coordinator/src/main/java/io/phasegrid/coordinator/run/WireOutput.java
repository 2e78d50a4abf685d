package io.phasegrid.coordinator.run;

import java.io.IOException;

/**
 * Where the binary form of a run's values is written: the few primitives and arrays the codecs of
 * {@link RunRecord}, {@link RunBlueprint} and {@link RunSettings} need, so this package names no serialization
 * library. The Hazelcast binding is {@code run.store.codec}.
 */
public interface WireOutput {

    void writeBoolean(boolean value) throws IOException;

    void writeByte(int value) throws IOException;

    void writeInt(int value) throws IOException;

    void writeLong(long value) throws IOException;

    void writeDouble(double value) throws IOException;

    void writeString(String value) throws IOException;

    void writeBooleanArray(boolean[] values) throws IOException;

    void writeByteArray(byte[] values) throws IOException;

    void writeIntArray(int[] values) throws IOException;

    void writeLongArray(long[] values) throws IOException;

    void writeStringArray(String[] values) throws IOException;
}
