package io.lac4j.io;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * A byte source with a known end: every declared length is checked against the bytes that are
 * actually left before anything is allocated.
 */
final class PickleInput {
    private final InputStream in;
    private final long end;
    private long position;

    /** Reads {@code in}, which starts at absolute {@code position} and ends at {@code end}. */
    PickleInput(InputStream in, long position, long end) {
        this.in = in;
        this.position = position;
        this.end = end;
    }

    static PickleInput of(byte[] bytes) {
        return new PickleInput(new ByteArrayInputStream(bytes), 0, bytes.length);
    }

    long position() {
        return position;
    }

    long remaining() {
        return end - position;
    }

    int readByte() throws IOException {
        if (position >= end) {
            throw new EOFException(
                    "expected 1 more byte at offset " + position + ", got end of data");
        }
        int b = in.read();
        if (b < 0) {
            throw new EOFException(
                    "expected 1 more byte at offset " + position + ", got end of file");
        }
        position++;
        return b;
    }

    /** Reads exactly {@code n} bytes; refuses before allocating if fewer are left. */
    byte[] readBytes(long n) throws IOException {
        if (n < 0 || n > remaining()) {
            throw new EOFException(
                    "declared length "
                            + n
                            + " at offset "
                            + position
                            + " exceeds the "
                            + remaining()
                            + " bytes left");
        }
        if (n > Integer.MAX_VALUE - 8) {
            throw new EOFException(
                    "declared length " + n + " at offset " + position + " exceeds 2 GiB");
        }
        byte[] b = in.readNBytes((int) n);
        if (b.length != n) {
            throw new EOFException(
                    "expected "
                            + n
                            + " bytes at offset "
                            + position
                            + ", got "
                            + b.length
                            + " (file truncated?)");
        }
        position += n;
        return b;
    }

    /** Little-endian unsigned value of {@code n <= 8} bytes (as a signed long for n == 8). */
    long readLittleEndian(int n) throws IOException {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v |= ((long) readByte()) << (8 * i);
        }
        return v;
    }

    /** A text line without its newline, at most {@code max} bytes. */
    String readLine(int max) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int b = readByte();
            if (b == '\n') {
                return sb.toString();
            }
            if (sb.length() >= max) {
                throw new EOFException(
                        "text line longer than " + max + " bytes at offset " + position);
            }
            sb.append((char) b);
        }
    }
}
