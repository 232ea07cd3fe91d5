package io.lac4j.io;

import io.lac4j.io.Unpickler.Refusal;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * How unpickled Python values look in Java, and short depth-limited descriptions for messages.
 *
 * <p>dict and OrderedDict: {@code LinkedHashMap}; list: {@code ArrayList}; tuple: an unmodifiable
 * {@code List}; str: {@code String}; int: {@code Long} (or {@code BigInteger}); float: {@code
 * Double}; bool: {@code Boolean}; None: {@code null}; bytes: {@code byte[]}; tensor: {@link
 * TensorData}; a dtype such as {@code torch.float16}: {@link DType}.
 */
final class PickleValues {
    private PickleValues() {}

    static List<Object> tuple(Object... items) {
        return Collections.unmodifiableList(new ArrayList<>(Arrays.asList(items)));
    }

    static boolean isTuple(Object o) {
        return o instanceof List && !(o instanceof ArrayList);
    }

    /** Python's name for the type of {@code v}. */
    static String typeName(Object v) {
        if (v == null) {
            return "None";
        } else if (v instanceof TensorData) {
            TensorData t = (TensorData) v;
            return "tensor " + t.dtype() + " " + Arrays.toString(t.shape());
        } else if (v instanceof String) {
            return "str";
        } else if (v instanceof Long || v instanceof BigInteger) {
            return "int";
        } else if (v instanceof Double) {
            return "float";
        } else if (v instanceof Boolean) {
            return "bool";
        } else if (v instanceof byte[]) {
            return "bytes";
        } else if (v instanceof Map) {
            return "dict";
        } else if (isTuple(v)) {
            return "tuple";
        } else if (v instanceof List) {
            return "list";
        } else if (v instanceof DType) {
            return "torch.dtype";
        }
        return v.getClass().getSimpleName();
    }

    /** A one-line description of a top-level value: its type and, for a dict, its first keys. */
    static String describe(Object v) {
        if (v instanceof Map) {
            Map<?, ?> m = (Map<?, ?>) v;
            List<String> keys = new ArrayList<>();
            for (Object k : m.keySet()) {
                if (keys.size() == 8) {
                    keys.add("...");
                    break;
                }
                keys.add(describeKey(k));
            }
            return "a dict with " + m.size() + " keys " + keys;
        } else if (v instanceof List) {
            return "a " + typeName(v) + " of " + ((List<?>) v).size() + " items";
        }
        return "a " + typeName(v);
    }

    /** A dict key for messages: strings quoted and shortened, other keys by type. */
    static String describeKey(Object k) {
        if (k instanceof String) {
            String s = (String) k;
            return "'" + (s.length() > 60 ? s.substring(0, 57) + "..." : s) + "'";
        } else if (k instanceof Long || k instanceof Boolean || k == null) {
            return String.valueOf(k);
        }
        return "<" + typeName(k) + ">";
    }

    // ---- scalars from opcodes ----

    static long checkedLength(long n) {
        if (n < 0) {
            throw new Refusal("negative length " + n);
        }
        return n;
    }

    static Object longFrom(byte[] le) {
        if (le.length == 0) {
            return 0L;
        }
        byte[] be = new byte[le.length];
        for (int i = 0; i < le.length; i++) {
            be[i] = le[le.length - 1 - i];
        }
        BigInteger v = new BigInteger(be);
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    static Object textInt(String s) {
        if (s.equals("00")) {
            return Boolean.FALSE;
        } else if (s.equals("01")) {
            return Boolean.TRUE;
        }
        try {
            BigInteger v = new BigInteger(s.trim());
            return v.bitLength() < 64 ? (Object) v.longValue() : v;
        } catch (NumberFormatException e) {
            throw new Refusal("bad integer literal '" + abbreviate(s) + "'");
        }
    }

    static Double textFloat(String s) {
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            throw new Refusal("bad float literal '" + abbreviate(s) + "'");
        }
    }

    static long textIndex(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw new Refusal("bad memo index '" + abbreviate(s) + "'");
        }
    }

    static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
