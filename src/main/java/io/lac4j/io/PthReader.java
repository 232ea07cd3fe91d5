package io.lac4j.io;

import io.lac4j.InputException;
import io.lac4j.Lac4jException;
import io.lac4j.io.PickleAllowList.StorageClass;
import io.lac4j.io.Unpickler.Refusal;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
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

    // ---------------------------------------------------------------- legacy format

    /**
     * Reads the legacy format: magic, protocol and sys_info pickles, the main pickle, the list of
     * storage keys, then each storage as an 8-byte little-endian element count and its bytes. The
     * main pickle is read twice: once to learn the storages, once to build tensors from them.
     */
    public static Object readLegacy(Path file) {
        String name = file.toString();
        try {
            long size = Files.size(file);
            Map<String, StorageRef> declared = new LinkedHashMap<>();
            Map<String, Storage> loaded = new HashMap<>();
            long mainStart;
            try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                PickleInput in = new PickleInput(raw, 0, size);
                Unpickler.StorageLoader none =
                        pid -> {
                            throw new Refusal("unexpected persistent id in a header pickle");
                        };
                Object magic = new Unpickler(name + ": legacy magic number", in, none).load();
                if (!LEGACY_MAGIC.equals(
                        magic instanceof Long ? BigInteger.valueOf((Long) magic) : magic)) {
                    throw new InputException(
                            name
                                    + ": expected the legacy PyTorch magic number 0x"
                                    + LEGACY_MAGIC.toString(16)
                                    + ", got "
                                    + PickleValues.typeName(magic)
                                    + (magic instanceof Long || magic instanceof BigInteger
                                            ? " 0x" + new BigInteger(magic.toString()).toString(16)
                                            : ""));
                }
                Object protocol =
                        new Unpickler(name + ": legacy protocol version", in, none).load();
                if (!Long.valueOf(LEGACY_PROTOCOL).equals(protocol)) {
                    throw new InputException(
                            name
                                    + ": legacy protocol version: expected "
                                    + LEGACY_PROTOCOL
                                    + ", got "
                                    + protocol);
                }
                Object sysInfo = new Unpickler(name + ": legacy sys_info", in, none).load();
                if (sysInfo instanceof Map
                        && Boolean.FALSE.equals(((Map<?, ?>) sysInfo).get("little_endian"))) {
                    throw new InputException(
                            name
                                    + ": sys_info: expected little_endian True, got False; "
                                    + "big-endian checkpoints are not supported");
                }
                mainStart = in.position();
                new Unpickler(name + ": main pickle", in, pid -> declare(pid, declared)).load();
                Object keys = new Unpickler(name + ": storage key list", in, none).load();
                if (!(keys instanceof List)) {
                    throw new InputException(
                            name
                                    + ": storage key list at offset "
                                    + in.position()
                                    + ": expected a list of keys, got "
                                    + PickleValues.typeName(keys));
                }
                readLegacyStorages(name, in, (List<?>) keys, declared, loaded);
            }
            try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                raw.skipNBytes(mainStart);
                PickleInput in = new PickleInput(raw, mainStart, size);
                return new Unpickler(
                                name + ": main pickle",
                                in,
                                pid -> resolve(StorageRef.parse(pid, true), loaded))
                        .load();
            }
        } catch (NoSuchFileException e) {
            throw new InputException(name + ": file not found");
        } catch (IOException e) {
            throw new Lac4jException(name + ": read failed: " + e.getMessage(), e);
        }
    }

    private static Storage declare(List<Object> pid, Map<String, StorageRef> declared) {
        StorageRef ref = StorageRef.parse(pid, true);
        StorageRef prev = declared.get(ref.key);
        if (prev != null && (prev.dtype != ref.dtype || prev.numel != ref.numel)) {
            throw new Refusal(
                    "storage '"
                            + ref.key
                            + "' declared twice, as "
                            + prev.numel
                            + " x "
                            + prev.dtype
                            + " and "
                            + ref.numel
                            + " x "
                            + ref.dtype);
        }
        declared.put(ref.key, ref);
        if (ref.viewKey != null) {
            if (Math.addExact(ref.viewOffset, ref.viewSize) > ref.numel) {
                throw new Refusal(
                        "storage view '"
                                + ref.viewKey
                                + "': offset "
                                + ref.viewOffset
                                + " + size "
                                + ref.viewSize
                                + " exceeds storage '"
                                + ref.key
                                + "' of "
                                + ref.numel
                                + " elements");
            }
            return new Storage(ref.viewKey, ref.dtype, ref.viewSize, null, 0);
        }
        return new Storage(ref.key, ref.dtype, ref.numel, null, 0);
    }

    private static Storage resolve(StorageRef ref, Map<String, Storage> loaded) {
        Storage root = loaded.get(ref.key);
        if (root == null) {
            throw new Refusal("storage '" + ref.key + "' was not loaded");
        }
        if (ref.viewKey != null) {
            return new Storage(ref.viewKey, ref.dtype, ref.viewSize, root.data(), ref.viewOffset);
        }
        return root;
    }

    private static void readLegacyStorages(
            String name,
            PickleInput in,
            List<?> keys,
            Map<String, StorageRef> declared,
            Map<String, Storage> loaded)
            throws IOException {
        for (Object k : keys) {
            if (!(k instanceof String)) {
                throw new InputException(
                        name
                                + ": storage key list: expected string keys, got "
                                + PickleValues.typeName(k));
            }
            String key = (String) k;
            StorageRef ref = declared.get(key);
            if (ref == null) {
                throw new InputException(
                        name
                                + ": storage key list: key '"
                                + key
                                + "' is not used by any tensor in the main pickle");
            }
            if (loaded.containsKey(key)) {
                throw new InputException(
                        name + ": storage key list: key '" + key + "' appears twice");
            }
            long at = in.position();
            if (in.remaining() < 8) {
                throw new InputException(
                        name
                                + ": storage '"
                                + key
                                + "' at offset "
                                + at
                                + ": expected an 8-byte"
                                + " element count, got "
                                + in.remaining()
                                + " bytes (file truncated; storages missing?)");
            }
            long count = in.readLittleEndian(8);
            if (count != ref.numel) {
                throw new InputException(
                        name
                                + ": storage '"
                                + key
                                + "' at offset "
                                + at
                                + ": expected "
                                + ref.numel
                                + " elements (as the main pickle declares), got a count of "
                                + Long.toUnsignedString(count));
            }
            long bytes = ref.byteSize();
            if (bytes > in.remaining()) {
                throw new InputException(
                        name
                                + ": storage '"
                                + key
                                + "' at offset "
                                + at
                                + ": expected "
                                + bytes
                                + " bytes ("
                                + count
                                + " x "
                                + ref.dtype
                                + "), got "
                                + in.remaining()
                                + " bytes left in the file (truncated?)");
            }
            if (bytes > TensorRebuild.MAX_BYTES) {
                throw new InputException(
                        name
                                + ": storage '"
                                + key
                                + "': "
                                + bytes
                                + " bytes is over the 2 GiB a Java array holds");
            }
            loaded.put(key, new Storage(key, ref.dtype, ref.numel, in.readBytes(bytes), 0));
        }
        for (String key : declared.keySet()) {
            if (!loaded.containsKey(key)) {
                throw new InputException(
                        name
                                + ": storage '"
                                + key
                                + "' used by a tensor is missing from the"
                                + " storage key list "
                                + abbreviateKeys(keys));
            }
        }
    }

    private static String abbreviateKeys(List<?> keys) {
        return keys.size() <= 8
                ? keys.toString()
                : keys.subList(0, 8) + " and " + (keys.size() - 8) + " more";
    }

    /** A parsed persistent id {@code ('storage', class, key, location, numel[, view_metadata])}. */
    private static final class StorageRef {
        String key;
        DType dtype;
        long numel;
        String viewKey;
        long viewOffset;
        long viewSize;

        long byteSize() {
            return Math.multiplyExact(numel, dtype.itemSize());
        }

        static StorageRef parse(List<Object> pid, boolean legacy) {
            int expected = legacy ? 6 : 5;
            if (pid.size() != expected || !"storage".equals(pid.get(0))) {
                throw new Refusal(
                        "expected a persistent id ('storage', class, key, location, numel"
                                + (legacy ? ", view_metadata" : "")
                                + "), got a tuple of "
                                + pid.size()
                                + " starting with "
                                + (pid.isEmpty()
                                        ? "nothing"
                                        : PickleValues.describeKey(pid.get(0))));
            }
            StorageRef r = new StorageRef();
            if (!(pid.get(1) instanceof StorageClass)) {
                throw new Refusal(
                        "persistent id: expected a storage class, got "
                                + PickleValues.typeName(pid.get(1)));
            }
            DType d = ((StorageClass) pid.get(1)).dtype();
            r.dtype = d == null ? DType.UINT8 : d;
            if (!(pid.get(2) instanceof String) || !(pid.get(3) instanceof String)) {
                throw new Refusal("persistent id: expected string key and location");
            }
            r.key = (String) pid.get(2);
            if (!(pid.get(4) instanceof Long) || (Long) pid.get(4) < 0) {
                throw new Refusal(
                        "storage '"
                                + r.key
                                + "': expected a non-negative element count, got "
                                + (pid.get(4) instanceof Long
                                        ? pid.get(4)
                                        : PickleValues.typeName(pid.get(4))));
            }
            r.numel = (Long) pid.get(4);
            Math.multiplyExact(r.numel, r.dtype.itemSize());
            if (legacy && pid.get(5) != null) {
                if (!(pid.get(5) instanceof List) || ((List<?>) pid.get(5)).size() != 3) {
                    throw new Refusal(
                            "storage '" + r.key + "': expected view metadata (key, offset, size)");
                }
                List<?> v = (List<?>) pid.get(5);
                if (!(v.get(0) instanceof String)
                        || !(v.get(1) instanceof Long)
                        || !(v.get(2) instanceof Long)
                        || (Long) v.get(1) < 0
                        || (Long) v.get(2) < 0) {
                    throw new Refusal("storage '" + r.key + "': bad view metadata " + v);
                }
                r.viewKey = (String) v.get(0);
                r.viewOffset = (Long) v.get(1);
                r.viewSize = (Long) v.get(2);
            }
            return r;
        }
    }
}
