package io.lac4j.io;

import io.lac4j.io.Unpickler.Refusal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The two data-only pickle constructors training scripts leave in checkpoints besides tensors:
 * NumPy scalars ({@code best_acc = np.float64(93.1)}) and {@code _codecs.encode}, protocol 2's
 * spelling of {@code bytes}. Only fixed-size numeric scalars are decoded.
 */
final class Numpy {
    private Numpy() {}

    /** {@code numpy.dtype('f8', False, True)}; its byte order arrives later by BUILD. */
    static final class DTypeSpec {
        final String code;
        ByteOrder order = ByteOrder.LITTLE_ENDIAN;

        DTypeSpec(String code) {
            this.code = code;
        }

        void setState(Object state) {
            if (state instanceof List && ((List<?>) state).size() > 1) {
                Object o = ((List<?>) state).get(1);
                if (">".equals(o)) {
                    order = ByteOrder.BIG_ENDIAN;
                }
                return;
            }
            throw new Refusal("numpy.dtype state must be a tuple, got " + PickleValues.typeName(state));
        }
    }

    static byte[] encode(List<?> args) {
        if (args.size() != 2 || !(args.get(0) instanceof String) || !(args.get(1) instanceof String)) {
            throw new Refusal("_codecs.encode expects (str, encoding)");
        }
        String enc = ((String) args.get(1)).toLowerCase(java.util.Locale.ROOT);
        switch (enc) {
            case "latin1":
            case "latin-1":
            case "iso-8859-1":
                return ((String) args.get(0)).getBytes(StandardCharsets.ISO_8859_1);
            case "utf-8":
            case "utf8":
                return ((String) args.get(0)).getBytes(StandardCharsets.UTF_8);
            default:
                throw new Refusal("_codecs.encode: unsupported encoding '" + enc + "'");
        }
    }

    static DTypeSpec dtype(List<?> args) {
        if (args.isEmpty() || !(args.get(0) instanceof String)) {
            throw new Refusal("numpy.dtype expects a type code string");
        }
        return new DTypeSpec((String) args.get(0));
    }

    static Object scalar(List<?> args) {
        if (args.size() != 2 || !(args.get(0) instanceof DTypeSpec)) {
            throw new Refusal("numpy scalar expects (dtype, bytes)");
        }
        DTypeSpec t = (DTypeSpec) args.get(0);
        Object raw = args.get(1);
        byte[] b = raw instanceof byte[] ? (byte[]) raw
                : raw instanceof String ? ((String) raw).getBytes(StandardCharsets.ISO_8859_1) : null;
        if (b == null) {
            throw new Refusal("numpy scalar expects bytes, got " + PickleValues.typeName(raw));
        }
        ByteBuffer buf = ByteBuffer.wrap(b).order(t.order);
        int expected;
        Object value;
        switch (t.code) {
            case "f8": expected = 8; value = b.length == 8 ? buf.getDouble() : null; break;
            case "f4": expected = 4; value = b.length == 4 ? (double) buf.getFloat() : null; break;
            case "f2": expected = 2; value = b.length == 2 ? (double) TensorData.halfToFloat(buf.getShort()) : null; break;
            case "i8": case "u8": expected = 8; value = b.length == 8 ? buf.getLong() : null; break;
            case "i4": expected = 4; value = b.length == 4 ? (long) buf.getInt() : null; break;
            case "u4": expected = 4; value = b.length == 4 ? buf.getInt() & 0xffffffffL : null; break;
            case "i2": expected = 2; value = b.length == 2 ? (long) buf.getShort() : null; break;
            case "u2": expected = 2; value = b.length == 2 ? (long) (buf.getShort() & 0xffff) : null; break;
            case "i1": expected = 1; value = b.length == 1 ? (long) b[0] : null; break;
            case "u1": expected = 1; value = b.length == 1 ? (long) (b[0] & 0xff) : null; break;
            case "b1": expected = 1; value = b.length == 1 ? b[0] != 0 : null; break;
            default:
                throw new Refusal("numpy scalar of dtype '" + t.code + "' is not supported; expected a number");
        }
        if (value == null) {
            throw new Refusal("numpy scalar '" + t.code + "': expected " + expected + " bytes, got " + b.length);
        }
        return value;
    }
}
