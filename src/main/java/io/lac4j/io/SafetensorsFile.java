package io.lac4j.io;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A safetensors file's tensors (in data-offset order) and its {@code __metadata__} strings. */
public record SafetensorsFile(StateDict stateDict, Map<String, String> metadata) {
    public SafetensorsFile {
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }
}
