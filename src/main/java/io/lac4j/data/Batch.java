package io.lac4j.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * One batch in the caller's {@code NDManager}: images float32 {@code [N, C, H, W]}, labels int64
 * {@code [N]}. The arrays belong to that manager; close the manager (or the arrays) to free them.
 */
public final class Batch {
    private final NDArray images;
    private final NDArray labels;

    Batch(NDArray images, NDArray labels) {
        this.images = images;
        this.labels = labels;
    }

    public NDArray images() {
        return images;
    }

    public NDArray labels() {
        return labels;
    }

    public int size() {
        return Math.toIntExact(labels.size());
    }

    /** {@code [images, labels]}. */
    public NDList toNDList() {
        return new NDList(images, labels);
    }
}
