package io.lac4j.io;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a zip-format {@code .pth} that {@code torch.load(path, weights_only=True)} reads back as
 * identical tensors: {@code archive/data.pkl} (protocol 2), {@code archive/byteorder}, one
 * uncompressed {@code archive/data/<key>} per tensor, aligned to 64 bytes like PyTorch, and {@code
 * archive/version}. Written to a temporary file, then moved into place.
 */
public final class PthWriter {
    static final String PREFIX = "archive/";
    static final int ALIGNMENT = 64;
    private static final LocalDateTime FIXED_TIME =
            LocalDateTime.of(2000, 1, 1, 0, 0); // 1980-01-01 would add a UT extra field

    private PthWriter() {}

    /** Writes {@code stateDict} as a bare {@code OrderedDict} of tensors. */
    public static void write(Path file, StateDict stateDict) {
        writeObject(file, stateDict);
    }

    /**
     * Writes a dict such as {@code {'net': stateDict, 'acc': 93.1, 'epoch': 7}}; values may be
     * {@link StateDict} (written as an OrderedDict), {@link TensorData}, {@code Map}, {@code List},
     * {@code String}, integer and floating-point numbers, {@code Boolean} or null. Use a {@code
     * LinkedHashMap} to fix the key order.
     */
    public static void write(Path file, Map<String, ?> root) {
        writeObject(file, root);
    }

    /**
     * Writes {@code {wrapperKey: stateDict, **extras}}, e.g. {@code {'net': sd, 'acc': 93.1}} as
     * training scripts save it; {@code extras} values follow {@link #write(Path, Map)}.
     */
    public static void writeWrapped(
            Path file, String wrapperKey, StateDict stateDict, Map<String, ?> extras) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put(wrapperKey, stateDict);
        extras.forEach(
                (k, v) -> {
                    if (k.equals(wrapperKey)) {
                        throw new IllegalArgumentException(
                                "extra key '" + k + "' clashes with the wrapper key");
                    }
                    root.put(k, v);
                });
        writeObject(file, root);
    }

    private static void writeObject(Path file, Object root) {
        PickleWriter pickler = new PickleWriter();
        byte[] pkl = pickler.dump(root);
        List<TensorData> storages = pickler.storages();
        AtomicFile.write(
                file,
                raw -> {
                    CountingOutputStream counter = new CountingOutputStream(raw);
                    try (ZipOutputStream zip = new ZipOutputStream(counter)) {
                        stored(zip, counter, PREFIX + "data.pkl", pkl);
                        stored(
                                zip,
                                counter,
                                PREFIX + "byteorder",
                                "little".getBytes(StandardCharsets.US_ASCII));
                        for (int i = 0; i < storages.size(); i++) {
                            stored(zip, counter, PREFIX + "data/" + i, storages.get(i).rawBytes());
                        }
                        stored(
                                zip,
                                counter,
                                PREFIX + "version",
                                "3\n".getBytes(StandardCharsets.US_ASCII));
                    }
                });
    }

    /**
     * One uncompressed entry whose data starts on a 64-byte boundary, padded via an extra field.
     */
    private static void stored(
            ZipOutputStream zip, CountingOutputStream counter, String name, byte[] data)
            throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        e.setCompressedSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        e.setTimeLocal(FIXED_TIME);
        long headerEnd = counter.count + 30 + name.getBytes(StandardCharsets.UTF_8).length + 4;
        int pad = (int) ((ALIGNMENT - headerEnd % ALIGNMENT) % ALIGNMENT);
        byte[] extra = new byte[4 + pad]; // header id "FB" as PyTorch uses, then the padding length
        extra[0] = 'F';
        extra[1] = 'B';
        extra[2] = (byte) pad;
        extra[3] = (byte) (pad >>> 8);
        e.setExtra(extra);
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }

    private static final class CountingOutputStream extends FilterOutputStream {
        long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
