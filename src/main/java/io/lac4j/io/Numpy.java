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
            throw new Refusal(
                    "numpy.dtype state must be a tuple, got " + PickleValues.typeName(state));
        }
    }

    static byte[] encode(List<?> args) {
        if (args.size() != 2
                || !(args.get(0) instanceof String)
                || !(args.get(1) instanceof String)) {
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
        byte[] b =
                raw instanceof byte[]
                        ? (byte[]) raw
                        : raw instanceof String
                                ? ((String) raw).getBytes(StandardCharsets.ISO_8859_1)
                                : null;
        if (b == null) {
            throw new Refusal("numpy scalar expects bytes, got " + PickleValues.typeName(raw));
        }
        int width = scalarWidth(t.code);
        if (b.length != width) {
            throw new Refusal(
                    "numpy scalar '" + t.code + "': expected " + width + " bytes, got " + b.length);
        }
        ByteBuffer buf = ByteBuffer.wrap(b).order(t.order);
        switch (t.code) {
            case "f8":
                return buf.getDouble();
            case "f4":
                return (double) buf.getFloat();
            case "f2":
                return (double) TensorData.halfToFloat(buf.getShort());
            case "i8":
            case "u8":
                return buf.getLong();
            case "i4":
                return (long) buf.getInt();
            case "u4":
                return buf.getInt() & 0xffffffffL;
            case "i2":
                return (long) buf.getShort();
            case "u2":
                return (long) (buf.getShort() & 0xffff);
            case "i1":
                return (long) b[0];
            case "u1":
                return (long) (b[0] & 0xff);
            default: // "b1"
                return b[0] != 0;
        }
    }

    private static int scalarWidth(String code) {
        switch (code) {
            case "f8":
            case "i8":
            case "u8":
                return 8;
            case "f4":
            case "i4":
            case "u4":
                return 4;
            case "f2":
            case "i2":
            case "u2":
                return 2;
            case "i1":
            case "u1":
            case "b1":
                return 1;
            default:
                throw new Refusal(
                        "numpy scalar of dtype '"
                                + code
                                + "' is not supported; expected a fixed-size number");
        }
    }
}
