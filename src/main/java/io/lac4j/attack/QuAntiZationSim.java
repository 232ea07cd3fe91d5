package io.lac4j.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.lac4j.quant.QuAntiZationQuantizer;
import io.lac4j.quant.QuantizerRole;

/**
 * Qu-ANTI-zation's own b-bit quantizer (ATTACKS.md §1.3): every conv/linear fake-quantizes its
 * own input (per-layer asymmetric) and its weight (per-layer symmetric), ranged from the current
 * tensor, half-up rounding, STE; BatchNorm not folded.
 */
public final class QuAntiZationSim implements SimulatedQuantizer {
    private final int bits;
    private final QuAntiZationQuantizer weights;
    private final QuAntiZationQuantizer activations;

    public QuAntiZationSim(int bits) {
        if (bits < 2 || bits > 16) {
            throw new IllegalArgumentException("--bits: expected 2..16, got " + bits);
        }
        this.bits = bits;
        this.weights = new QuAntiZationQuantizer(QuantizerRole.WEIGHT, bits);
        this.activations = new QuAntiZationQuantizer(QuantizerRole.ACTIVATION, bits);
    }

    public int bits() {
        return bits;
    }

    @Override
    public String name() {
        return "qu-anti-zation-" + bits;
    }

    @Override
    public NDArray input(String node, NDArray x) {
        return activations.apply(x);
    }

    @Override
    public NDArray weight(String node, NDArray w, NDManager scope) {
        return weights.apply(w);
    }
}
