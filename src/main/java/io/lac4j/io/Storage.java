package io.lac4j.io;

/**
 * One PyTorch storage named by a persistent id: {@code numel} elements of {@code dtype}. In the
 * first pass over a legacy file the bytes are not read yet and {@code data} is null; for a legacy
 * storage view the elements start {@code elementOffset} into {@code data}.
 */
record Storage(String key, DType dtype, long numel, byte[] data, long elementOffset) {
    boolean loaded() {
        return data != null;
    }
}
