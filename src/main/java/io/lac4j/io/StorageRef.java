package io.lac4j.io;

import io.lac4j.io.PickleAllowList.StorageClass;
import io.lac4j.io.Unpickler.Refusal;
import java.util.List;

/** A parsed persistent id {@code ('storage', class, key, location, numel[, view_metadata])}. */
final class StorageRef {
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
