package io.lac4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.Map;
import java.util.Set;

/**
 * One operation of a {@link Graph} with PyTorch semantics. Tensors (parameters and buffers) are
 * keyed by their local PyTorch names ({@code weight}, {@code running_mean}, ...); the graph
 * prefixes them with the node name to form state_dict keys.
 */
public interface Layer {
    /** Computes the output; arrays it creates belong to the first input's manager. */
    NDArray forward(NDList inputs);

    /** Parameters and buffers by local name, live arrays (not copies); empty for stateless ops. */
    default Map<String, NDArray> tensors() {
        return Map.of();
    }

    /** Local names of the trainable parameters among {@link #tensors()}. */
    default Set<String> parameterNames() {
        return Set.of();
    }

    /** Replaces one tensor (same shape, checked by the caller); the old array is closed. */
    default void assign(String localName, NDArray value) {
        throw new IllegalArgumentException(getClass().getSimpleName() + " has no tensor '" + localName + "'");
    }

    /** Train or eval behaviour (BatchNorm statistics, Dropout); a no-op for most layers. */
    default void setTraining(boolean training) {}

    default boolean isTraining() {
        return false;
    }

    /**
     * A deep copy whose tensors live in {@code manager} (PyTorch's {@code copy.deepcopy}); the
     * weight transform, if any, is shared and must be replaced by whoever installed it.
     */
    default Layer copy(ai.djl.ndarray.NDManager manager) {
        return this;
    }

    /** Short PyTorch-like description, e.g. {@code Conv2d(3, 64, k=3, s=1, p=1)}. */
    String describe();
}
