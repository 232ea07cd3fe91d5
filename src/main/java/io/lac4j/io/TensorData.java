package io.lac4j.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * An immutable, contiguous, little-endian tensor as stored in a checkpoint: dtype, shape and raw
 * bytes. Plain Java on purpose: {@code io} holds no native memory; {@code nn} turns these into
 * NDArrays.
 */
public final class TensorData {
    private final DType dtype;
    private final long[] shape;
    private final byte[] data; // never exposed; numel * itemSize bytes, little-endian

    private TensorData(DType dtype, long[] shape, byte[] data) {
        this.dtype = dtype;
        this.shape = shape;
        this.data = data;
    }

    /**
     * A tensor of {@code dtype} and {@code shape} over a copy of {@code data}.
     *
     * @throws IllegalArgumentException if a dimension is negative or the byte count does not equal
     *     numel times the item size
     */
    public static TensorData of(DType dtype, long[] shape, byte[] data) {
        return wrap(dtype, shape.clone(), data.clone());
    }

    /** Takes ownership of {@code data} (callers in this package never touch it again). */
    static TensorData wrap(DType dtype, long[] shape, byte[] data) {
        long numel = numelOf(shape);
        if (numel * dtype.itemSize() != data.length) {
            throw new IllegalArgumentException(
                    "tensor "
                            + Arrays.toString(shape)
                            + " "
                            + dtype
                            + ": expected "
                            + numel * dtype.itemSize()
                            + " bytes, got "
                            + data.length);
        }
        return new TensorData(dtype, shape, data);
    }

    /** The element count of {@code shape}; rejects negative dimensions and overflow. */
    static long numelOf(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException(
                        "negative dimension in shape " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** A float32 tensor holding a copy of {@code values}. */
    public static TensorData ofFloats(float[] values, long... shape) {
        ByteBuffer b = buffer(values.length, DType.FLOAT32);
        b.asFloatBuffer().put(values);
        return wrap(DType.FLOAT32, shape.clone(), b.array());
    }

    /** An int64 tensor holding a copy of {@code values}. */
    public static TensorData ofLongs(long[] values, long... shape) {
        ByteBuffer b = buffer(values.length, DType.INT64);
        b.asLongBuffer().put(values);
        return wrap(DType.INT64, shape.clone(), b.array());
    }

    /** An int64 scalar (shape {@code []}), like {@code num_batches_tracked}. */
    public static TensorData scalarLong(long value) {
        return ofLongs(new long[] {value});
    }

    private static ByteBuffer buffer(int n, DType dtype) {
        return ByteBuffer.allocate(Math.multiplyExact(n, dtype.itemSize()))
                .order(ByteOrder.LITTLE_ENDIAN);
    }

    public DType dtype() {
        return dtype;
    }

    /** A copy of the shape. */
    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public long numel() {
        return data.length / dtype.itemSize();
    }

    /** Size in bytes. */
    public int byteSize() {
        return data.length;
    }

    /** A copy of the raw little-endian bytes. */
    public byte[] toByteArray() {
        return data.clone();
    }

    /** A read-only little-endian view of the raw bytes (no copy), e.g. for creating an NDArray. */
    public ByteBuffer asByteBuffer() {
        return ByteBuffer.wrap(data).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The raw bytes without copying, for writers in this package. */
    byte[] rawBytes() {
        return data;
    }

    private ByteBuffer view() {
        return ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Values converted to float32 (exact for float16/bfloat16; rounded for float64 and wide ints).
     */
    public float[] toFloatArray() {
        int n = (int) numel();
        float[] out = new float[n];
        ByteBuffer b = view();
        switch (dtype) {
            case FLOAT32:
                b.asFloatBuffer().get(out);
                break;
            case FLOAT16:
                for (int i = 0; i < n; i++) {
                    out[i] = halfToFloat(b.getShort(2 * i));
                }
                break;
            case BFLOAT16:
                for (int i = 0; i < n; i++) {
                    out[i] = Float.intBitsToFloat((b.getShort(2 * i) & 0xffff) << 16);
                }
                break;
            case FLOAT64:
                for (int i = 0; i < n; i++) {
                    out[i] = (float) b.getDouble(8 * i);
                }
                break;
            default:
                long[] longs = toLongArray();
                for (int i = 0; i < n; i++) {
                    out[i] = longs[i];
                }
        }
        return out;
    }

    /** Values of an integer or bool tensor as longs (uint8 is unsigned, bool is 0/1). */
    public long[] toLongArray() {
        int n = (int) numel();
        long[] out = new long[n];
        ByteBuffer b = view();
        switch (dtype) {
            case INT64:
                b.asLongBuffer().get(out);
                break;
            case INT32:
                for (int i = 0; i < n; i++) {
                    out[i] = b.getInt(4 * i);
                }
                break;
            case INT16:
                for (int i = 0; i < n; i++) {
                    out[i] = b.getShort(2 * i);
                }
                break;
            case INT8:
                for (int i = 0; i < n; i++) {
                    out[i] = data[i];
                }
                break;
            case UINT8:
            case BOOL:
                for (int i = 0; i < n; i++) {
                    out[i] = data[i] & 0xff;
                }
                break;
            default:
                throw new IllegalStateException(
                        "toLongArray on a " + dtype + " tensor; use toFloatArray or toDoubleArray");
        }
        return out;
    }

    /** Values converted to float64 (exact for every dtype except int64 beyond 2^53). */
    public double[] toDoubleArray() {
        int n = (int) numel();
        double[] out = new double[n];
        if (dtype == DType.FLOAT64) {
            view().asDoubleBuffer().get(out);
        } else if (dtype.isFloatingPoint()) {
            float[] f = toFloatArray();
            for (int i = 0; i < n; i++) {
                out[i] = f[i];
            }
        } else {
            long[] l = toLongArray();
            for (int i = 0; i < n; i++) {
                out[i] = l[i];
            }
        }
        return out;
    }

    /** IEEE 754 binary16 to binary32, exact (Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f; // subnormal (or zero), exact
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorData
                && ((TensorData) o).dtype == dtype
                && Arrays.equals(((TensorData) o).shape, shape)
                && Arrays.equals(((TensorData) o).data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * dtype.hashCode() + Arrays.hashCode(shape)) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "TensorData[" + dtype + " " + Arrays.toString(shape) + "]";
    }
}
