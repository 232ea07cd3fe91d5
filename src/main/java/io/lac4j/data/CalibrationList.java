package io.lac4j.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * A materialised list of calibration batches kept as Java float arrays (no native memory held);
 * {@link #batch(int, NDManager)} creates the float32 {@code [n, C, H, W]} array on demand.
 * Labels are not kept: LAC never uses them.
 */
public final class CalibrationList {
    private final List<float[]> batches;
    private final int[] sourceIndices;
    private final int channels;
    private final int height;
    private final int width;

    CalibrationList(List<float[]> batches, int[] sourceIndices, int channels, int height, int width) {
        this.batches = List.copyOf(batches);
        this.sourceIndices = sourceIndices;
        this.channels = channels;
        this.height = height;
        this.width = width;
    }

    /** Number of batches. */
    public int size() {
        return batches.size();
    }

    /** Images in batch {@code k} (the last may be smaller). */
    public int batchSize(int k) {
        return batches.get(k).length / (channels * height * width);
    }

    /** Total images. */
    public int images() {
        return sourceIndices.length;
    }

    /** Source-dataset index of every image, batch by batch. */
    public int[] sourceIndices() {
        return sourceIndices.clone();
    }

    /** {@code [C, H, W]}. */
    public int[] imageShape() {
        return new int[] {channels, height, width};
    }

    /** The raw values of batch {@code k} (not copied; do not modify). */
    public float[] values(int k) {
        return batches.get(k);
    }

    /** Every image's values, batches concatenated in list order ({@code images()·C·H·W} floats). */
    public float[] concatenated() {
        int total = 0;
        for (float[] b : batches) {
            total += b.length;
        }
        float[] all = new float[total];
        int at = 0;
        for (float[] b : batches) {
            System.arraycopy(b, 0, all, at, b.length);
            at += b.length;
        }
        return all;
    }

    /** All batches as NDArrays in {@code manager}, in list order. */
    public List<NDArray> batches(NDManager manager) {
        List<NDArray> out = new java.util.ArrayList<>(size());
        for (int k = 0; k < size(); k++) {
            out.add(batch(k, manager));
        }
        return out;
    }

    /** Batch {@code k} as float32 {@code [n, C, H, W]} in {@code manager}. */
    public NDArray batch(int k, NDManager manager) {
        return manager.create(batches.get(k), new Shape(batchSize(k), channels, height, width));
    }

    /** Every batch, in order, in {@code manager}. */
    public NDList all(NDManager manager) {
        NDList out = new NDList(size());
        for (int k = 0; k < size(); k++) {
            out.add(batch(k, manager));
        }
        return out;
    }
}
