package io.lac4j.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.lac4j.nn.Layer;

/** The graph node MQBench calls {@code <node>_post_act_fake_quantizer}: applies one activation quantizer. */
public final class ActivationQuantLayer implements Layer {
    private final FakeQuantizer quantizer;

    public ActivationQuantLayer(FakeQuantizer quantizer) {
        if (quantizer.role() != QuantizerRole.ACTIVATION) {
            throw new IllegalArgumentException("expected an activation quantizer, got " + quantizer);
        }
        this.quantizer = quantizer;
    }

    public FakeQuantizer quantizer() {
        return quantizer;
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
