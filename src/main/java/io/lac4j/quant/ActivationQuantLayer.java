package io.lac4j.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.lac4j.nn.Layer;

/**
 * The graph node MQBench calls {@code <node>_post_act_fake_quantizer}: applies one activation quantizer.
 * The quantizer can be swapped for another of the same scheme, so one inserted graph can run several
 * activation grids (an attack keyed to several observers at once).
 */
public final class ActivationQuantLayer implements Layer {
    private FakeQuantizer quantizer;

    public ActivationQuantLayer(FakeQuantizer quantizer) {
        check(quantizer);
        this.quantizer = quantizer;
    }

    public FakeQuantizer quantizer() {
        return quantizer;
    }

    /** Applies {@code q} from now on; it must be an activation quantizer. */
    public void setQuantizer(FakeQuantizer q) {
        check(q);
        this.quantizer = q;
    }

    private static void check(FakeQuantizer q) {
        if (q.role() != QuantizerRole.ACTIVATION) {
            throw new IllegalArgumentException("expected an activation quantizer, got " + q);
        }
    }

    @Override
    public NDArray forward(NDList inputs) {
        return quantizer.apply(inputs.singletonOrThrow());
    }

    @Override
    public String describe() {
        return "ActFakeQuant(" + quantizer.scheme() + ")";
    }
}
