package io.lac4j.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.lac4j.InputException;
import io.lac4j.Lac4jException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a safetensors file: 8-byte little-endian header length, a JSON header mapping names to
 * {@code dtype}, {@code shape} and {@code data_offsets}, then the data. Offsets must tile the data
 * area exactly (in bounds, no overlap, no gap), as the reference implementation requires.
 */
public final class SafetensorsReader {
    /** Largest header accepted (the reference implementation uses 100 MB). */
    static final long MAX_HEADER = 100L << 20;

    static final JsonMapper JSON =
            JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

    private SafetensorsReader() {}

    private record Entry(String name, DType dtype, long[] shape, long begin, long end) {}

    public static SafetensorsFile read(Path file) {
        String name = file.toString();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new InputException(
                        name
                                + ": expected an 8-byte safetensors header length, got a "
                                + size
                                + "-byte file");
            }
            long headerLen = readFully(ch, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (headerLen < 0 || headerLen > size - 8) {
                throw new InputException(
                        name
                                + ": header length: expected at most "
                                + (size - 8)
                                + " bytes (the rest of the file), got "
                                + Long.toUnsignedString(headerLen)
                                + " (past end of file)");
            }
            if (headerLen > MAX_HEADER) {
                throw new InputException(
                        name
                                + ": header length: expected at most "
                                + MAX_HEADER
                                + " bytes, got "
                                + headerLen);
            }
            ByteBuffer hb = readFully(ch, 8, (int) headerLen);
            JsonNode header;
            try {
                header = JSON.readTree(new String(hb.array(), StandardCharsets.UTF_8));
            } catch (JsonProcessingException e) {
                throw new InputException(
                        name
                                + ": header: expected JSON, got a parse error: "
                                + e.getOriginalMessage());
            }
            if (header == null || !header.isObject()) {
                throw new InputException(
                        name
                                + ": header: expected a JSON object, got "
                                + (header == null ? "nothing" : header.getNodeType()));
            }
            long dataStart = 8 + headerLen;
            long dataLen = size - dataStart;
            Map<String, String> metadata = new LinkedHashMap<>();
            List<Entry> entries = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (f.getKey().equals("__metadata__")) {
                    readMetadata(name, f.getValue(), metadata);
                } else {
                    entries.add(parseEntry(name, f.getKey(), f.getValue()));
                }
            }
            entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
            long expectedBegin = 0;
            for (Entry e : entries) {
                if (e.begin < expectedBegin) {
                    throw new InputException(
                            name
                                    + ": tensor '"
                                    + e.name
                                    + "': data_offsets ["
                                    + e.begin
                                    + ", "
                                    + e.end
                                    + "] overlap the previous tensor, which ends at "
                                    + expectedBegin);
                }
                if (e.begin > expectedBegin) {
                    throw new InputException(
                            name
                                    + ": tensor '"
                                    + e.name
                                    + "': data_offsets begin at "
                                    + e.begin
                                    + ", expected "
                                    + expectedBegin
                                    + " (a gap in the data)");
                }
                if (e.end > dataLen) {
                    throw new InputException(
                            name
                                    + ": tensor '"
                                    + e.name
                                    + "': data_offsets end at "
                                    + e.end
                                    + ", expected at most "
                                    + dataLen
                                    + " (past end of file)");
                }
                expectedBegin = e.end;
            }
            if (expectedBegin != dataLen) {
                throw new InputException(
                        name
                                + ": expected tensor data to end at byte "
                                + dataLen
                                + " of the data area, got "
                                + expectedBegin
                                + " ("
                                + (dataLen - expectedBegin)
                                + " trailing bytes)");
            }
            LinkedHashMap<String, TensorData> tensors = new LinkedHashMap<>();
            for (Entry e : entries) {
                ByteBuffer b = readFully(ch, dataStart + e.begin, (int) (e.end - e.begin));
                tensors.put(e.name, TensorData.wrap(e.dtype, e.shape, b.array()));
            }
            return new SafetensorsFile(StateDict.of(tensors), metadata);
        } catch (NoSuchFileException e) {
            throw new InputException(name + ": file not found");
        } catch (IOException e) {
            throw new Lac4jException(name + ": read failed: " + e.getMessage(), e);
        }
    }

    private static void readMetadata(String file, JsonNode node, Map<String, String> out) {
        if (!node.isObject()) {
            throw new InputException(
                    file
                            + ": __metadata__: expected an object of strings, got "
                            + node.getNodeType());
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (!f.getValue().isTextual()) {
                throw new InputException(
                        file
                                + ": __metadata__ key '"
                                + f.getKey()
                                + "': expected a string, got "
                                + f.getValue().getNodeType());
            }
            out.put(f.getKey(), f.getValue().asText());
        }
    }

    private static Entry parseEntry(String file, String key, JsonNode n) {
        String where = file + ": tensor '" + key + "'";
        if (!n.isObject()) {
            throw new InputException(
                    where
                            + ": expected an object with dtype, shape, data_offsets, got "
                            + n.getNodeType());
        }
        JsonNode dt = n.get("dtype");
        DType dtype = dt != null && dt.isTextual() ? DType.fromSafetensorsName(dt.asText()) : null;
        if (dtype == null) {
            List<String> known = new ArrayList<>();
            for (DType d : DType.values()) {
                known.add(d.safetensorsName());
            }
            throw new InputException(
                    where
                            + ": dtype: expected one of "
                            + known
                            + ", got "
                            + (dt == null ? "nothing" : dt.toString()));
        }
        long[] shape = longs(where + ": shape", n.get("shape"), 64);
        for (long d : shape) {
            if (d < 0) {
                throw new InputException(
                        where
                                + ": shape "
                                + Arrays.toString(shape)
                                + ": expected dimensions >= 0, got negative dimension "
                                + d);
            }
        }
        long[] offsets = longs(where + ": data_offsets", n.get("data_offsets"), 2);
        if (offsets.length != 2 || offsets[0] < 0 || offsets[1] < offsets[0]) {
            throw new InputException(
                    where
                            + ": data_offsets: expected [begin, end] with 0 <= begin <= end, got "
                            + Arrays.toString(offsets));
        }
        long bytes;
        try {
            bytes = Math.multiplyExact(TensorData.numelOf(shape), dtype.itemSize());
        } catch (ArithmeticException e) {
            throw new InputException(
                    where
                            + ": shape "
                            + Arrays.toString(shape)
                            + ": element count overflows 64 bits");
        }
        if (bytes != offsets[1] - offsets[0]) {
            throw new InputException(
                    where
                            + ": expected "
                            + bytes
                            + " bytes for shape "
                            + Arrays.toString(shape)
                            + " "
                            + dtype
                            + ", got data_offsets spanning "
                            + (offsets[1] - offsets[0]));
        }
        if (bytes > TensorRebuild.MAX_BYTES) {
            throw new InputException(
                    where + ": " + bytes + " bytes is over the 2 GiB a Java array holds");
        }
        return new Entry(key, dtype, shape, offsets[0], offsets[1]);
    }

    private static long[] longs(String where, JsonNode n, int max) {
        if (n == null || !n.isArray() || n.size() > max) {
            throw new InputException(
                    where
                            + ": expected an array of at most "
                            + max
                            + " integers, got "
                            + (n == null
                                    ? "nothing"
                                    : n.toString().length() > 60 ? n.getNodeType() : n.toString()));
        }
        long[] out = new long[n.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = n.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToLong()) {
                throw new InputException(where + ": expected integers, got " + v);
            }
            out[i] = v.asLong();
        }
        return out;
    }

    private static ByteBuffer readFully(FileChannel ch, long position, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            int r = ch.read(b, position + b.position());
            if (r < 0) {
                throw new IOException("unexpected end of file at " + (position + b.position()));
            }
        }
        b.flip();
        return b;
    }
}
