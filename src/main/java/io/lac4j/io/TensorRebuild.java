package io.lac4j.io;

import io.lac4j.io.Unpickler.Refusal;

import java.util.Arrays;
import java.util.List;

/**
 * PyTorch's {@code _rebuild_tensor(_v2)} in Java: a view (offset, size, stride) of a storage,
 * checked against the storage's length with overflow-safe arithmetic, then copied out contiguous.
 */
final class TensorRebuild {
    /** Largest tensor a Java array can hold. */
    static final long MAX_BYTES = Integer.MAX_VALUE - 8;

    private TensorRebuild() {}

    /** Accounts for the bytes a rebuilt tensor will allocate, refusing if over budget. */
    interface Budget {
        void charge(long bytes, String what);
    }

    static Object rebuild(String fn, List<?> args, int minArgs, int maxArgs, Budget budget) {
        if (args.size() < minArgs || args.size() > maxArgs) {
            throw new Refusal(
                    fn
                            + " expects "
                            + (minArgs == maxArgs ? "" + minArgs : minArgs + " to " + maxArgs)
                            + " arguments, got "
                            + args.size());
        }
        if (!(args.get(0) instanceof Storage)) {
            throw new Refusal(
                    fn + " expects a storage first, got " + PickleValues.typeName(args.get(0)));
        }
        Storage storage = (Storage) args.get(0);
        long offset = toLong(fn, "storage_offset", args.get(1));
        long[] size = toLongs(fn, "size", args.get(2));
        long[] stride = toLongs(fn, "stride", args.get(3));
        String what = "tensor on storage '" + storage.key() + "'";
        if (size.length != stride.length) {
            throw new Refusal(
                    what
                            + ": size "
                            + Arrays.toString(size)
                            + " and stride "
                            + Arrays.toString(stride)
                            + " differ in rank");
        }
        if (offset < 0) {
            throw new Refusal(what + ": expected storage_offset >= 0, got " + offset);
        }
        long[] extent = extent(what, offset, size, stride);
        long numel = extent[0];
        if (extent[1] > storage.numel()) {
            throw new Refusal(
                    what
                            + ": size "
                            + Arrays.toString(size)
                            + " stride "
                            + Arrays.toString(stride)
                            + " offset "
                            + offset
                            + " needs "
                            + extent[1]
                            + " elements, but the storage has "
                            + storage.numel());
        }
        long bytes = Math.multiplyExact(numel, storage.dtype().itemSize());
        if (bytes > MAX_BYTES) {
            throw new Refusal(what + ": " + bytes + " bytes is over the 2 GiB a Java array holds");
        }
        budget.charge(bytes, what);
        if (!storage.loaded()) {
            return new Unpickler.PendingTensor();
        }
        return TensorData.wrap(
                storage.dtype(), size, copy(storage, offset, size, stride, (int) bytes));
    }

    /**
     * {numel, elements of storage needed}, rejecting negative sizes/strides and 64-bit overflow.
     */
    private static long[] extent(String what, long offset, long[] size, long[] stride) {
        try {
            long numel = 1;
            long lastIndex = offset;
            for (int i = 0; i < size.length; i++) {
                if (size[i] < 0) {
                    throw new Refusal(
                            what
                                    + ": expected dimensions >= 0, got negative dimension "
                                    + size[i]
                                    + " in size "
                                    + Arrays.toString(size));
                }
                if (stride[i] < 0) {
                    throw new Refusal(
                            what
                                    + ": expected strides >= 0, got "
                                    + stride[i]
                                    + " in stride "
                                    + Arrays.toString(stride));
                }
                numel = Math.multiplyExact(numel, size[i]);
                if (size[i] > 0) {
                    lastIndex =
                            Math.addExact(lastIndex, Math.multiplyExact(size[i] - 1, stride[i]));
                }
            }
            return new long[] {numel, numel == 0 ? offset : Math.addExact(lastIndex, 1)};
        } catch (ArithmeticException e) {
            throw new Refusal(
                    what
                            + ": size "
                            + Arrays.toString(size)
                            + " stride "
                            + Arrays.toString(stride)
                            + " offset "
                            + offset
                            + ": element count or extent overflows 64 bits");
        }
    }

    private static byte[] copy(Storage s, long offset, long[] size, long[] stride, int bytes) {
        int item = s.dtype().itemSize();
        byte[] out = new byte[bytes];
        long base = s.elementOffset() + offset;
        if (bytes == 0) {
            return out;
        }
        if (isContiguous(size, stride)) {
            System.arraycopy(s.data(), (int) (base * item), out, 0, bytes);
            return out;
        }
        int rank = size.length;
        long[] index = new long[rank];
        int n = bytes / item;
        long src = base;
        for (int i = 0; i < n; i++) {
            System.arraycopy(s.data(), (int) (src * item), out, i * item, item);
            for (int d = rank - 1; d >= 0; d--) { // odometer over the indices, last dim fastest
                index[d]++;
                src += stride[d];
                if (index[d] < size[d]) {
                    break;
                }
                src -= stride[d] * index[d];
                index[d] = 0;
            }
        }
        return out;
    }

    static boolean isContiguous(long[] size, long[] stride) {
        long expected = 1;
        for (int d = size.length - 1; d >= 0; d--) {
            if (size[d] != 1 && stride[d] != expected) {
                return false;
            }
            expected *= size[d];
        }
        return true;
    }

    private static long toLong(String fn, String arg, Object o) {
        if (o instanceof Long) {
            return (Long) o;
        }
        throw new Refusal(fn + ": expected an int " + arg + ", got " + PickleValues.typeName(o));
    }

    private static long[] toLongs(String fn, String arg, Object o) {
        if (!(o instanceof List)) {
            throw new Refusal(
                    fn + ": expected a tuple " + arg + ", got " + PickleValues.typeName(o));
        }
        List<?> l = (List<?>) o;
        if (l.size() > 64) {
            throw new Refusal(
                    fn + ": expected at most 64 dimensions in " + arg + ", got " + l.size());
        }
        long[] out = new long[l.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = toLong(fn, arg, l.get(i));
        }
        return out;
    }
}
