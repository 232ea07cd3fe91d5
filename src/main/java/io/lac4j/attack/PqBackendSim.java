package io.lac4j.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.lac4j.quant.Granularity;
import io.lac4j.quant.PqBackdoorQuantizer;
import java.util.HashMap;
import java.util.Map;

/**
 * PQBackdoor's simulated fbgemm (per-channel weights) or qnnpack (per-tensor) backend (ATTACKS.md
 * §3.4) on every conv/linear: the layer runs on integer input and weight levels, its output (bias
 * included, as in the reference) is rescaled by {@code s_a·s_w}. Evaluation only (no gradient).
 */
public final class PqBackendSim implements SimulatedQuantizer {
    private final Granularity granularity;
    private final int weightBits;
    private final Map<String, PqBackdoorQuantizer> perLayer = new HashMap<>();

    public PqBackendSim(Granularity granularity) {
        this(granularity, 8);
    }

    /** With {@code weightBits}-bit weights (8 = the reference's int8 backends). */
    public PqBackendSim(Granularity granularity, int weightBits) {
        this.granularity = granularity;
        this.weightBits = weightBits;
    }

    @Override
    public String name() {
        return (granularity == Granularity.PER_CHANNEL ? "pqbackdoor-fbgemm" : "pqbackdoor-qnnpack")
                + (weightBits == 8 ? "" : "-w" + weightBits);
    }

    private PqBackdoorQuantizer q(String node) {
        return perLayer.computeIfAbsent(node, k -> new PqBackdoorQuantizer(granularity, weightBits));
    }

    @Override
    public NDArray input(String node, NDArray x) {
        return q(node).inputLevels(x);
    }

    @Override
    public NDArray weight(String node, NDArray w, NDManager scope) {
        return q(node).weightLevels(w);
    }

    @Override
    public NDArray output(String node, NDArray y) {
        PqBackdoorQuantizer q = q(node);
        float sa = q.lastInputScale();
        float[] sw = q.lastWeightScales();
        if (sw.length == 1) {
            return y.mul(sa * sw[0]);
        }
        float[] f = new float[sw.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = sa * sw[i];
        }
        long[] shape = new long[y.getShape().dimension()];
        java.util.Arrays.fill(shape, 1L);
        shape[1] = f.length;
        NDArray scale = y.getManager().create(f, new Shape(shape));
        return y.mul(scale);
    }

    @Override
    public boolean rescalesOutput() {
        return true;
    }
}
