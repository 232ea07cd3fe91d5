package io.lac4j.io;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A checkpoint as {@link Checkpoints#read} found it: the state dict, what was unwrapped or ignored
 * to get it, scalar metadata ({@code acc}, {@code epoch}, or safetensors {@code __metadata__}), the
 * format, and the file's SHA-256 for provenance.
 */
public record LoadedCheckpoint(
        Path file,
        CheckpointFormat format,
        StateDict stateDict,
        List<String> notes,
        Map<String, Object> metadata,
        String sha256) {
    public LoadedCheckpoint {
        notes = List.copyOf(notes);
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** Notes joined for one log line, e.g. {@code unwrapped "net", stripped "module."}. */
    public String describeUnwrap() {
        return notes.isEmpty() ? "bare state dict" : String.join(", ", notes);
    }
}
