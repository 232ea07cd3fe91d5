package io.lac4j.io;

import io.lac4j.InputException;
import io.lac4j.Lac4jException;
import io.lac4j.io.Unpickler.Refusal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads a PyTorch {@code .pth} file, zip (torch >= 1.6) or legacy (pickle stream), into plain Java
 * values with {@link TensorData} for tensors, through the allow-listing {@link Unpickler}.
 */
public final class PthReader {
    static final BigInteger LEGACY_MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
    static final long LEGACY_PROTOCOL = 1001;

    /** Largest data.pkl read into memory; real ones are about 100 bytes per tensor. */
    static final long MAX_PICKLE_BYTES = 1L << 30;

    private PthReader() {}

    /** Reads a zip or legacy {@code .pth}; the root object as unpickled (usually a dict). */
    public static Object read(Path file) {
        byte[] head = Checkpoints.head(file, 2);
        if (head.length >= 2 && head[0] == 'P' && head[1] == 'K') {
            return readZip(file);
        }
        return readLegacy(file);
    }

    // ---------------------------------------------------------------- zip format

    /**
     * Reads the zip format: {@code <prefix>/data.pkl}, {@code <prefix>/data/<key>}, {@code
     * <prefix>/byteorder}.
     */
    public static Object readZip(Path file) {
        String name = file.toString();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            String prefix = findPrefix(zip, name);
            ZipEntry byteorder = zip.getEntry(prefix + "byteorder");
            if (byteorder != null) {
                String order =
                        new String(readEntry(zip, byteorder, 16), StandardCharsets.US_ASCII).trim();
                if (order.equals("big")) {
                    throw new InputException(
                            name
                                    + ": "
                                    + prefix
                                    + "byteorder: expected 'little', got 'big'; big-endian"
                                    + " checkpoints are not supported (re-save on a little-endian"
                                    + " machine)");
                } else if (!order.equals("little")) {
                    throw new InputException(
                            name
                                    + ": "
                                    + prefix
                                    + "byteorder: expected 'little', got '"
                                    + order
                                    + "'");
                }
            }
            ZipEntry pklEntry = zip.getEntry(prefix + "data.pkl");
            if (pklEntry.getSize() > MAX_PICKLE_BYTES) {
                throw new InputException(
                        name
                                + ": "
                                + pklEntry.getName()
                                + ": expected at most "
                                + MAX_PICKLE_BYTES
                                + " bytes, got "
                                + pklEntry.getSize());
            }
            byte[] pkl = readEntry(zip, pklEntry, MAX_PICKLE_BYTES);
            Map<String, Storage> cache = new HashMap<>();
            Unpickler.StorageLoader loader =
                    pid -> {
                        StorageRef ref = StorageRef.parse(pid, false);
                        Storage cached = cache.get(ref.key);
                        if (cached != null) {
                            return cached;
                        }
                        Storage s = loadZipStorage(zip, prefix, ref);
                        cache.put(ref.key, s);
                        return s;
                    };
            return new Unpickler(name + ": " + pklEntry.getName(), PickleInput.of(pkl), loader)
                    .load();
        } catch (NoSuchFileException e) {
            throw new InputException(name + ": file not found");
        } catch (IllegalArgumentException e) { // java.util.zip on malformed entry names
            throw new InputException(
                    name + ": not a readable zip archive (corrupt entry name?): " + e.getMessage(),
                    e);
        } catch (ZipException | EOFException e) {
            throw new InputException(
                    name
                            + ": not a readable zip archive (truncated or corrupt?): "
                            + (e.getMessage() == null ? "unexpected end of file" : e.getMessage()),
                    e);
        } catch (IOException e) {
            throw new Lac4jException(name + ": read failed: " + e.getMessage(), e);
        }
    }

    private static String findPrefix(ZipFile zip, String name) {
        List<String> found = new ArrayList<>();
        List<String> sample = new ArrayList<>();
        Enumeration<? extends ZipEntry> en = zip.entries();
        while (en.hasMoreElements()) {
            String n = en.nextElement().getName();
            if (sample.size() < 5) {
                sample.add(n);
            }
            int slash = n.indexOf('/');
            if (slash > 0 && n.substring(slash + 1).equals("data.pkl")) {
                found.add(n.substring(0, slash + 1));
            }
        }
        if (found.isEmpty()) {
            throw new InputException(
                    name
                            + ": expected a PyTorch zip with '<folder>/data.pkl', got entries "
                            + sample
                            + (zip.size() > sample.size()
                                    ? " and " + (zip.size() - sample.size()) + " more"
                                    : "")
                            + " (no data.pkl)");
        }
        if (found.size() > 1) {
            throw new InputException(
                    name
                            + ": expected one '<folder>/data.pkl', got "
                            + found.size()
                            + " in "
                            + found);
        }
        return found.get(0);
    }

    private static byte[] readEntry(ZipFile zip, ZipEntry e, long max) throws IOException {
        try (InputStream in = zip.getInputStream(e)) {
            byte[] b = in.readNBytes((int) Math.min(max, Integer.MAX_VALUE - 8));
            return b;
        }
    }

    private static Storage loadZipStorage(ZipFile zip, String prefix, StorageRef ref)
            throws IOException {
        if (ref.key.isEmpty()
                || ref.key.contains("/")
                || ref.key.contains("\\")
                || ref.key.contains("..")) {
            throw new Refusal("storage key '" + ref.key + "' is not a plain name");
        }
        String entryName = prefix + "data/" + ref.key;
        ZipEntry e = zip.getEntry(entryName);
        if (e == null) {
            throw new Refusal(
                    "storage '" + ref.key + "': expected zip entry '" + entryName + "', not found");
        }
        long needed = ref.byteSize();
        if (needed > TensorRebuild.MAX_BYTES) {
            throw new Refusal(
                    "storage '"
                            + ref.key
                            + "': "
                            + ref.numel
                            + " elements of "
                            + ref.dtype
                            + " is "
                            + needed
                            + " bytes, over the 2 GiB a Java array holds");
        }
        if (e.getSize() >= 0 && e.getSize() < needed) {
            throw new Refusal(
                    "storage '"
                            + ref.key
                            + "': expected "
                            + needed
                            + " bytes ("
                            + ref.numel
                            + " x "
                            + ref.dtype
                            + "), got "
                            + e.getSize());
        }
        if (e.getMethod() != ZipEntry.STORED
                && needed > 64 * Math.max(e.getCompressedSize(), 0) + (1 << 20)) {
            throw new Refusal(
                    "storage '"
                            + ref.key
                            + "': "
                            + needed
                            + " bytes from a "
                            + e.getCompressedSize()
                            + "-byte compressed entry looks like a zip bomb; PyTorch stores"
                            + " storages uncompressed");
        }
        byte[] data;
        try (InputStream in = zip.getInputStream(e)) {
            data = in.readNBytes((int) needed);
        } catch (ZipException | EOFException ex) {
            throw new Refusal(
                    "storage '"
                            + ref.key
                            + "': unreadable zip entry (truncated or corrupt?): "
                            + (ex.getMessage() == null
                                    ? "unexpected end of file"
                                    : ex.getMessage()));
        }
        if (data.length < needed) {
            throw new Refusal(
                    "storage '"
                            + ref.key
                            + "': expected "
                            + needed
                            + " bytes, got "
                            + data.length
                            + " (truncated?)");
        }
        return new Storage(ref.key, ref.dtype, ref.numel, data, 0);
    }

    /** Reads the legacy (pickle stream) format; see {@link PthLegacyReader}. */
    public static Object readLegacy(Path file) {
        return PthLegacyReader.read(file);
    }
}
