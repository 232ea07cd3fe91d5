package io.lac4j.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Writes a safetensors file: tensors in state-dict order, contiguous, header padded with spaces to
 * a multiple of 8 bytes; written to a temporary file, then moved into place.
 */
public final class SafetensorsWriter {
    private SafetensorsWriter() {}

    public static void write(Path file, StateDict stateDict) {
        write(file, stateDict, Map.of());
    }

    /** Writes {@code stateDict} with {@code metadata} as the {@code __metadata__} strings. */
    public static void write(Path file, StateDict stateDict, Map<String, String> metadata) {
        ObjectNode header = SafetensorsReader.JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, TensorData> e : stateDict.entries()) {
            if (e.getKey().equals("__metadata__")) {
                throw new IllegalArgumentException(
                        "a tensor cannot be named __metadata__ in safetensors");
            }
            TensorData t = e.getValue();
            ObjectNode n = header.putObject(e.getKey());
            n.put("dtype", t.dtype().safetensorsName());
            ArrayNode shape = n.putArray("shape");
            Arrays.stream(t.shape()).forEach(shape::add);
            n.putArray("data_offsets").add(offset).add(offset + t.byteSize());
            offset += t.byteSize();
        }
        byte[] json;
        try {
            json = SafetensorsReader.JSON.writeValueAsBytes(header);
        } catch (JsonProcessingException ex) {
            throw new UncheckedIOException(ex);
        }
        int padded = (json.length + 7) / 8 * 8;
        byte[] headerBytes = Arrays.copyOf(json, padded);
        Arrays.fill(headerBytes, json.length, padded, (byte) ' ');
        AtomicFile.write(
                file,
                out -> {
                    out.write(
                            ByteBuffer.allocate(8)
                                    .order(ByteOrder.LITTLE_ENDIAN)
                                    .putLong(padded)
                                    .array());
                    out.write(headerBytes);
                    for (TensorData t : stateDict.asMap().values()) {
                        out.write(t.rawBytes());
                    }
                });
    }
}
