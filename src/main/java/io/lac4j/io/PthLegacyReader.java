package io.lac4j.io;

import io.lac4j.InputException;
import io.lac4j.Lac4jException;
import io.lac4j.io.Unpickler.Refusal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The legacy (pre-zip, torch < 1.6) {@code .pth} format, for {@link PthReader}. */
final class PthLegacyReader {
    private PthLegacyReader() {}

    /**
     * Reads the legacy format: magic, protocol and sys_info pickles, the main pickle, the list of
     * storage keys, then each storage as an 8-byte little-endian element count and its bytes. The
     * main pickle is read twice: once to learn the storages, once to build tensors from them.
     */
    static Object read(Path file) {
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
                if (!PthReader.LEGACY_MAGIC.equals(
                        magic instanceof Long ? BigInteger.valueOf((Long) magic) : magic)) {
                    throw new InputException(
                            name
                                    + ": expected the legacy PyTorch magic number 0x"
                                    + PthReader.LEGACY_MAGIC.toString(16)
                                    + ", got "
                                    + PickleValues.typeName(magic)
                                    + (magic instanceof Long || magic instanceof BigInteger
                                            ? " 0x" + new BigInteger(magic.toString()).toString(16)
                                            : ""));
                }
                Object protocol =
                        new Unpickler(name + ": legacy protocol version", in, none).load();
                if (!Long.valueOf(PthReader.LEGACY_PROTOCOL).equals(protocol)) {
                    throw new InputException(
                            name
                                    + ": legacy protocol version: expected "
                                    + PthReader.LEGACY_PROTOCOL
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
}
