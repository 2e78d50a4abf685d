package io.phasegrid.coordinator.run;

import java.io.IOException;

/** Reads what a {@link WireOutput} wrote, value by value in the same order. */
public interface WireInput {

    boolean readBoolean() throws IOException;

    byte readByte() throws IOException;

    int readInt() throws IOException;

    long readLong() throws IOException;

    double readDouble() throws IOException;

    String readString() throws IOException;

    boolean[] readBooleanArray() throws IOException;

    byte[] readByteArray() throws IOException;

    int[] readIntArray() throws IOException;

    long[] readLongArray() throws IOException;

    String[] readStringArray() throws IOException;
}
