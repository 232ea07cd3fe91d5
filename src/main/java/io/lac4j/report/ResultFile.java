package io.lac4j.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes and reads {@link ResultDocument}s as JSON (snake_case keys), atomically. */
public final class ResultFile {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private ResultFile() {}

    public static String toJson(ResultDocument doc) {
        try {
            return MAPPER.writeValueAsString(doc);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise results", e);
        }
    }

    /** Writes {@code doc} to {@code path} through a temporary file in the same folder. */
    public static void write(ResultDocument doc, Path path) throws IOException {
        Atomic.writeString(path, toJson(doc) + "\n");
    }

    public static ResultDocument read(Path path) throws IOException {
        return MAPPER.readValue(path.toFile(), ResultDocument.class);
    }

    /** The shared JSON mapper (snake_case), for other report writers. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Temp-file-then-move writes: a failed run leaves nothing half-written. */
    public static final class Atomic {
        private Atomic() {}

        public static void writeString(Path path, String content) throws IOException {
            write(path, content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        public static void write(Path path, byte[] content) throws IOException {
            Path abs = path.toAbsolutePath();
            Path dir = abs.getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            Path tmp = Files.createTempFile(dir, "." + abs.getFileName(), ".tmp");
            try {
                Files.write(tmp, content);
                readableByAll(tmp);
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }

        /** Temp files are created owner-only (0600); a report is meant to be shared (0644 where POSIX). */
        private static void readableByAll(Path p) throws IOException {
            if (p.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            }
        }
    }
}
