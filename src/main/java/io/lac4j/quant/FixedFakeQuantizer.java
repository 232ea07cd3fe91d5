package io.lac4j.quant;

import ai.djl.ndarray.NDArray;

/**
 * Plain fake quantization with calibrated (s, z) and the STE-with-clipping-mask gradient (MQBench
 * {@code FixedFakeQuantize}; LAC.md §6.6). The scale is a buffer: no gradient to s or z (§8.6).
 */
public final class FixedFakeQuantizer extends FakeQuantizer {

    public FixedFakeQuantizer(QuantizerRole role, QScheme scheme, Observer observer) {
        super(role, scheme, observer);
    }

    /** With a new observer of {@code kind} for {@code scheme}. */
    public FixedFakeQuantizer(QuantizerRole role, QScheme scheme, Observer.Kind kind) {
        this(role, scheme, Observer.create(kind, scheme));
    }

    @Override
    NDArray quantize(NDArray x) {
        return FakeQuantKernel.fakeQuantize(x, qparams(), scheme().qmin(), scheme().qmax(), scheme().rounding());
    }
}
