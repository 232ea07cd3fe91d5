package io.lac4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** Keeps arrays derived from long-lived model tensors inside the current step's manager. */
final class Scopes {
    private Scopes() {}

    /**
     * Applies a weight transform so that everything it creates lands in {@code scope}: the weight
     * is temporarily attached to the scope (DJL: an op's output belongs to its first input's
     * manager) and returns to the model's manager when the scope closes.
     */
    static NDArray transformed(NDArray weight, WeightTransform transform, NDManager scope) {
        if (transform == WeightTransform.IDENTITY) {
            return weight;
        }
        if (weight.getManager() != scope) {
            scope.tempAttachAll(weight);
        }
        return transform.apply(weight, scope);
    }
}
