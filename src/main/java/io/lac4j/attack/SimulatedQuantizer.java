package io.lac4j.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * An attack's own quantizer, simulated around every conv/linear node through {@link QuantHooks}:
 * what happens to the layer's input, to its weight, and to its output. Every method returns its
 * argument unchanged when it does nothing; results belong to the argument's manager (weights: to
 * {@code scope}).
 */
public interface SimulatedQuantizer {
    /** A name for logs, manifests and tables, e.g. {@code qu-anti-zation-4}. */
    String name();

    default NDArray input(String node, NDArray x) {
        return x;
    }

    default NDArray weight(String node, NDArray w, NDManager scope) {
        return w;
    }

    default NDArray output(String node, NDArray y) {
        return y;
    }

    /** Whether {@link #output} ever does something (then a rescale node is needed). */
    default boolean rescalesOutput() {
        return false;
    }
}
