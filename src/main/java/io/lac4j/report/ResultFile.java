package io.lac4j.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lac4j.io.AtomicFile;
import io.lac4j.io.Json;
import io.lac4j.pipeline.ResultDocument;
import java.io.IOException;
import java.nio.file.Path;

/** Writes and reads {@link ResultDocument}s as JSON (snake_case keys), atomically. */
public final class ResultFile {
    private static final ObjectMapper MAPPER = Json.mapper();

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
        AtomicFile.writeString(path, toJson(doc) + "\n");
    }

    public static ResultDocument read(Path path) throws IOException {
        return MAPPER.readValue(path.toFile(), ResultDocument.class);
    }
}
