package io.lac4j.nn;

import ai.djl.ndarray.NDArray;

/**
 * What a conv/linear layer does to its weight before using it: identity in FP, a fake quantizer
 * once {@code quant} has prepared the model. The result must live in the manager given (the
 * current step's), never in the model's.
 */
@FunctionalInterface
public interface WeightTransform {
    WeightTransform IDENTITY = (w, scope) -> w;

    NDArray apply(NDArray weight, ai.djl.ndarray.NDManager scope);
}
