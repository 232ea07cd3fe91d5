package io.lac4j.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.lac4j.engine.Engines;
import java.util.function.Function;

/** Runs {@code f} under a gradient collector with loss {@code Σ g ⊙ f(x)}; returns the output values. */
final class Grad {
    private Grad() {}

    static float[] run(NDManager m, Function<NDArray, NDArray> f, NDArray x, NDArray g, NDArray... leaves) {
        x.setRequiresGradient(true);
        for (NDArray l : leaves) {
            if (!l.hasGradient()) {
                l.setRequiresGradient(true);
            }
        }
        try (GradientCollector gc = Engines.start().newGradientCollector()) {
            NDArray out = f.apply(x);
            float[] values = out.toFloatArray();
            gc.backward(out.mul(g).sum());
            return values;
        }
    }
}
