package io.lac4j.io;

/**
 * Element types a checkpoint tensor can have, with PyTorch's storage class and safetensors names.
 * All data is little-endian.
 */
public enum DType {
    FLOAT32(4, "float32", "FloatStorage", "F32"),
    FLOAT16(2, "float16", "HalfStorage", "F16"),
    BFLOAT16(2, "bfloat16", "BFloat16Storage", "BF16"),
    FLOAT64(8, "float64", "DoubleStorage", "F64"),
    INT64(8, "int64", "LongStorage", "I64"),
    INT32(4, "int32", "IntStorage", "I32"),
    INT16(2, "int16", "ShortStorage", "I16"),
    INT8(1, "int8", "CharStorage", "I8"),
    UINT8(1, "uint8", "ByteStorage", "U8"),
    BOOL(1, "bool", "BoolStorage", "BOOL");

    private final int itemSize;
    private final String torchName;
    private final String storageClass;
    private final String safetensorsName;

    DType(int itemSize, String torchName, String storageClass, String safetensorsName) {
        this.itemSize = itemSize;
        this.torchName = torchName;
        this.storageClass = storageClass;
        this.safetensorsName = safetensorsName;
    }

    /** Bytes per element. */
    public int itemSize() {
        return itemSize;
    }

    /** PyTorch's name without the {@code torch.} prefix, e.g. {@code float32}. */
    public String torchName() {
        return torchName;
    }

    /** The legacy typed storage class in module {@code torch}, e.g. {@code FloatStorage}. */
    public String storageClass() {
        return storageClass;
    }

    /** The safetensors header name, e.g. {@code F32}. */
    public String safetensorsName() {
        return safetensorsName;
    }

    public boolean isFloatingPoint() {
        return this == FLOAT32 || this == FLOAT16 || this == BFLOAT16 || this == FLOAT64;
    }

    /** The dtype safetensors calls {@code name} ({@code F32}), or null. */
    static DType fromSafetensorsName(String name) {
        for (DType d : values()) {
            if (d.safetensorsName.equals(name)) {
                return d;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return torchName;
    }
}
