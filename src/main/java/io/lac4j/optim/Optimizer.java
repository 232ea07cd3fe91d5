package io.lac4j.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A PyTorch optimizer over a fixed, ordered list of parameters. {@link #step} reads the
 * parameters' gradients, updates them in place and zeroes the gradients (DJL's PyTorch gradient
 * collector accumulates, so {@code zero_grad} is part of the step). State lives in the manager
 * given at construction and can be saved and restored for {@code --resume}.
 */
public interface Optimizer {
    /** One update with learning rate {@code lr}. */
    void step(double lr);

    /** Buffers by name ({@code <i>.<buffer>}) for saving; live arrays. */
    Map<String, NDArray> state();

    /** Restores buffers saved by {@link #state()} (copied into this optimizer's arrays). */
    void load(Map<String, float[]> state, long steps);

    /** Updates done so far. */
    long steps();

    /** Which optimizer, with PyTorch's defaults. */
    enum Kind {
        SGD,
        ADAM;

        public static Kind fromName(String name, String where) {
            return switch (name.toLowerCase(java.util.Locale.ROOT)) {
                case "sgd" -> SGD;
                case "adam" -> ADAM;
                default -> throw new io.lac4j.InputException(where + ": expected one of [sgd, adam], got '" + name + "'");
            };
        }
    }

    /** Helper for implementations: named copies of a list of buffers. */
    static Map<String, NDArray> named(String buffer, List<NDArray> arrays) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (int i = 0; i < arrays.size(); i++) {
            if (arrays.get(i) != null) {
                out.put(i + "." + buffer, arrays.get(i));
            }
        }
        return out;
    }
}
