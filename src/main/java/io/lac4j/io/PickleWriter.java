package io.lac4j.io;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a protocol-2 pickle of plain values and tensors in the shape {@code torch.save} uses, so
 * that {@code torch.load(weights_only=True)} accepts it. Each distinct {@link TensorData} becomes
 * one storage; {@link #storages()} lists them in key order ("0", "1", ...).
 */
final class PickleWriter {
    private static final int BATCH = 1000;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final IdentityHashMap<TensorData, String> keys = new IdentityHashMap<>();
    private final List<TensorData> storages = new ArrayList<>();

    byte[] dump(Object root) {
        out.reset();
        out.write(0x80);
        out.write(2);
        value(root, 0);
        out.write('.');
        return out.toByteArray();
    }

    List<TensorData> storages() {
        return storages;
    }

    private void value(Object v, int depth) {
        if (depth > PickleStack.MAX_DEPTH - 2) {
            throw new IllegalArgumentException(
                    "checkpoint nests deeper than " + (PickleStack.MAX_DEPTH - 2) + " levels");
        }
        if (v == null) {
            out.write('N');
        } else if (v instanceof Boolean) {
            out.write((Boolean) v ? 0x88 : 0x89);
        } else if (v instanceof Long
                || v instanceof Integer
                || v instanceof Short
                || v instanceof Byte) {
            integer(((Number) v).longValue());
        } else if (v instanceof Double || v instanceof Float) {
            out.write('G');
            long bits = Double.doubleToLongBits(((Number) v).doubleValue());
            for (int i = 7; i >= 0; i--) {
                out.write((int) (bits >>> (8 * i)));
            }
        } else if (v instanceof String) {
            string((String) v);
        } else if (v instanceof TensorData) {
            tensor((TensorData) v);
        } else if (v instanceof StateDict) {
            orderedDict(((StateDict) v).asMap(), depth);
        } else if (v instanceof Map) {
            out.write('}');
            setItems((Map<?, ?>) v, depth);
        } else if (v instanceof List) {
            out.write(']');
            List<?> list = (List<?>) v;
            for (int i = 0; i < list.size(); i += BATCH) {
                out.write('(');
                for (Object o : list.subList(i, Math.min(list.size(), i + BATCH))) {
                    value(o, depth + 1);
                }
                out.write('e');
            }
        } else {
            throw new IllegalArgumentException(
                    "cannot pickle a "
                            + v.getClass().getName()
                            + "; expected StateDict, TensorData, Map, List, String, number, Boolean"
                            + " or null");
        }
    }

    private void orderedDict(Map<?, ?> map, int depth) {
        global("collections", "OrderedDict");
        out.write(')');
        out.write('R');
        setItems(map, depth);
    }

    private void setItems(Map<?, ?> map, int depth) {
        List<Map.Entry<?, ?>> entries = new ArrayList<>(map.entrySet());
        for (int i = 0; i < entries.size(); i += BATCH) {
            out.write('(');
            for (Map.Entry<?, ?> e : entries.subList(i, Math.min(entries.size(), i + BATCH))) {
                if (!(e.getKey() instanceof String
                        || e.getKey() instanceof Long
                        || e.getKey() instanceof Integer)) {
                    throw new IllegalArgumentException(
                            "dict keys must be strings or ints, got "
                                    + (e.getKey() == null
                                            ? "null"
                                            : e.getKey().getClass().getName()));
                }
                value(e.getKey(), depth + 1);
                value(e.getValue(), depth + 1);
            }
            out.write('u');
        }
    }

    /** {@code _rebuild_tensor_v2(storage, 0, size, stride, False, OrderedDict())}. */
    private void tensor(TensorData t) {
        String key = keys.get(t);
        if (key == null) {
            key = Integer.toString(storages.size());
            keys.put(t, key);
            storages.add(t);
        }
        long[] shape = t.shape();
        long[] stride = new long[shape.length];
        long s = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            stride[d] = s;
            s *= Math.max(shape[d], 1);
        }
        global("torch._utils", "_rebuild_tensor_v2");
        out.write('(');
        out.write('(');
        string("storage");
        global("torch", t.dtype().storageClass());
        string(key);
        string("cpu");
        integer(t.numel());
        out.write('t');
        out.write('Q'); // BINPERSID
        integer(0);
        longTuple(shape);
        longTuple(stride);
        out.write(0x89); // requires_grad False
        global("collections", "OrderedDict");
        out.write(')');
        out.write('R');
        out.write('t');
        out.write('R');
    }

    private void longTuple(long[] values) {
        out.write('(');
        for (long v : values) {
            integer(v);
        }
        out.write('t');
    }

    private void global(String module, String name) {
        out.write('c');
        byte[] b = (module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII);
        out.write(b, 0, b.length);
    }

    private void string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write('X');
        writeLe(b.length, 4);
        out.write(b, 0, b.length);
    }

    private void integer(long v) {
        if (v >= 0 && v < 256) {
            out.write('K');
            out.write((int) v);
        } else if (v >= 0 && v < 65536) {
            out.write('M');
            writeLe(v, 2);
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            out.write('J');
            writeLe(v, 4);
        } else {
            byte[] be = BigInteger.valueOf(v).toByteArray();
            out.write(0x8a);
            out.write(be.length);
            for (int i = be.length - 1; i >= 0; i--) {
                out.write(be[i]);
            }
        }
    }

    private void writeLe(long v, int n) {
        for (int i = 0; i < n; i++) {
            out.write((int) (v >>> (8 * i)));
        }
    }
}
