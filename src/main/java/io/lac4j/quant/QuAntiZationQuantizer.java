package io.lac4j.quant;

import ai.djl.ndarray.NDArray;

/**
 * Qu-ANTI-zation's per-layer quantizers (ATTACKS.md §1.3; {@code utils/quantizer.py} of the
 * official code), ranging from every tensor anew (no observer, no state across calls). The scale
 * here is a multiplier S, and rounding is half-up {@code ⌊v⌉ = floor(v + 0.5)}:
 *
 * <ul>
 *   <li>{@link QuantizerRole#WEIGHT}, symmetric signed: {@code S = (2^(b−1) − 1)/(max(|min|, |max|)
 *       + 1e−14)}, {@code q = clamp(⌊x·S⌉, −2^(b−1), 2^(b−1) − 1)}, {@code x̂ = q/S};
 *   <li>{@link QuantizerRole#ACTIVATION}, asymmetric unsigned: {@code S = (2^b − 1)/(max − min +
 *       1e−14)}, {@code z = rne(min·S)}, {@code q = clamp(⌊x·S − z⌉, 0, 2^b − 1)}, {@code x̂ = (q +
 *       z)/S}.
 * </ul>
 *
 * All arithmetic is float32; the gradient is the STE with the clamp mask, S and z constants (same
 * backward chain as autograd: {@code (G/S)·mask·S}).
 */
public final class QuAntiZationQuantizer extends FakeQuantizer {
    private float lastMultiplier = Float.NaN;
    private float lastZeroPoint = Float.NaN;

    public QuAntiZationQuantizer(QuantizerRole role, int bits) {
        super(role, schemeFor(role, bits), null);
        setState(false, true);
    }

    /** Weights: symmetric per-tensor [−2^(b−1), 2^(b−1)−1]; activations: asymmetric [0, 2^b−1]; half-up. */
    public static QScheme schemeFor(QuantizerRole role, int bits) {
        QScheme s = role == QuantizerRole.WEIGHT
                ? QScheme.symmetric(bits, Granularity.PER_TENSOR)
                : QScheme.asymmetric(bits, Granularity.PER_TENSOR);
        return s.withRounding(Rounding.HALF_UP);
    }

    /** S of the last quantized tensor (NaN before the first). */
    public float lastMultiplier() {
        return lastMultiplier;
    }

    /** z of the last quantized tensor (0 for weights; NaN before the first). */
    public float lastZeroPoint() {
        return lastZeroPoint;
    }

    /** Approximate step-size form of the last call, {@code s = 1/S}, {@code z' = −z} (display only). */
    @Override
    public QParams qparams() {
        if (Float.isNaN(lastMultiplier)) {
            return QParams.unobserved();
        }
        return QParams.perTensor(1f / lastMultiplier, -(int) lastZeroPoint);
    }

    @Override
    NDArray quantize(NDArray x) {
        int qmin = scheme().qmin();
        int qmax = scheme().qmax();
        return FakeQuantKernel.compute(x, scope -> {
            NDArray xd = x.stopGradient();
            float mn = xd.min().getFloat();
            float mx = xd.max().getFloat();
            float mult;
            float z;
            if (role() == QuantizerRole.WEIGHT) {
                int levels = Math.min(Math.abs(qmin), qmax);
                mult = (float) levels / (Math.max(Math.abs(mn), Math.abs(mx)) + 1e-14f);
                z = 0f;
            } else {
                mult = (float) (qmax - qmin) / ((mx - mn) + 1e-14f);
                z = (float) Math.rint(mn * mult);
            }
            lastMultiplier = mult;
            lastZeroPoint = z;
            NDArray r = xd.mul(mult).sub(z).add(0.5f).floor();
            NDArray exact = r.clip(qmin, qmax).add(z).div(mult);
            if (!FakeQuantKernel.recording()) {
                return exact;
            }
            NDArray mask = FakeQuantKernel.inRange(r, qmin, qmax);
            // S as a libtorch-owned 0-d tensor: x.mul(float) would wrap a Java buffer (from_blob) that
            // autograd keeps for backward after DJL frees it, and backward would read freed memory.
            NDArray s = io.lac4j.engine.Engines.scalar(scope, mult);
            NDArray xs = x.mul(s);
            return exact.add(xs.sub(xs.stopGradient()).mul(mask).div(s));
        });
    }

    /** The dynamic quantizer's value of {@code w} without gradient. */
    @Override
    public NDArray hardValue(NDArray w) {
        return FakeQuantKernel.compute(w, scope -> quantize(w.stopGradient()));
    }
}
