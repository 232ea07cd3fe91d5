package io.lac4j.nn;

import ai.djl.ndarray.NDArray;

/** A layer with a weight that can be fake-quantized: Conv2d and Linear. */
public interface WeightedLayer extends Layer {
    NDArray weight();

    NDArray bias();

    WeightTransform weightTransform();

    void setWeightTransform(WeightTransform transform);

    /** Output channels (axis 0 of the weight). */
    default long outChannels() {
        return weight().getShape().get(0);
    }
}
