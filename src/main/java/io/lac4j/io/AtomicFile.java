package io.lac4j.io;

import io.lac4j.InputException;
import io.lac4j.Lac4jException;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a file through a temporary sibling and a rename, so a failure leaves nothing half-written.
 * The one atomic writer of lac4j: checkpoints, results, reports and run state all go through it.
 */
public final class AtomicFile {
    private AtomicFile() {}

    /** {@code content} as UTF-8, creating missing parent folders. */
    public static void writeString(Path target, String content) throws IOException {
        write(target, content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** {@code content}, creating missing parent folders; an I/O failure surfaces as the IOException it was. */
    public static void write(Path target, byte[] content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        try {
            write(target, out -> out.write(content));
        } catch (Lac4jException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw e;
        }
    }

    interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    static void write(Path target, Body body) {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new InputException(
                    target + ": expected an existing directory " + dir + ", got none");
        }
        Path tmp = null;
        try {
            // a plain new file (not createTempFile) so the result gets the usual permissions
            tmp =
                    dir.resolve(
                            "."
                                    + abs.getFileName()
                                    + "."
                                    + Long.toHexString(System.nanoTime())
                                    + ".tmp");
            try (OutputStream out =
                    new BufferedOutputStream(
                            Files.newOutputStream(
                                    tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                            1 << 16)) {
                body.writeTo(out);
            }
            try {
                Files.move(
                        tmp,
                        abs,
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new Lac4jException(target + ": write failed: " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the original failure is what the caller needs to see
                }
            }
        }
    }
}
