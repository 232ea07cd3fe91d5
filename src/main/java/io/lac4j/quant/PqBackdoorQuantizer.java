package io.lac4j.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * The simulated fbgemm/qnnpack backend PQBackdoor verifies its attack with (ATTACKS.md §3.4,
 * {@code pytorch/utils.py} of the official code). It is not a fake quantizer: the layer runs
 * conv/linear on integer levels and rescales the output, so this class returns the levels and the
 * scales, and the layer computes {@code op(inputLevels, weightLevels, bias) · s_a · s_w} (the bias
 * is added before the rescale, as in the reference). All values float32, no gradient (the
 * reference's rounding has no STE), rounding half to even, no clamping:
 *
 * <ul>
 *   <li>input, per tensor from the current batch: {@code s_a = (max − min)/255}, {@code z = −(min/s_a
 *       + 128)}, levels {@code rne(x/s_a + z) − rne(z)};
 *   <li>weights: {@code s_w = max|W|/127.5} (int8; {@code (2^b − 1)/2} for b bits) per output channel (fbgemm, {@link
 *       Granularity#PER_CHANNEL}) or per tensor (qnnpack), levels {@code rne(W/s_w)}.
 * </ul>
 *
 * Results belong to the input's manager; intermediates are freed.
 */
public final class PqBackdoorQuantizer {
    private final Granularity weightGranularity;
    private final float halfLevels;
    private float lastInputScale = Float.NaN;
    private float[] lastWeightScales = new float[0];

    /** {@link Granularity#PER_CHANNEL} = fbgemm (axis 0), {@link Granularity#PER_TENSOR} = qnnpack. */
    public PqBackdoorQuantizer(Granularity weightGranularity) {
        this(weightGranularity, 8);
    }

    /**
     * With {@code weightBits}-bit symmetric weight levels, {@code s_w = max|W|/((2^b − 1)/2)} (8: the
     * reference's 127.5); inputs stay 8-bit.
     */
    public PqBackdoorQuantizer(Granularity weightGranularity, int weightBits) {
        if (weightGranularity == null) {
            throw new IllegalArgumentException("weight granularity must be set");
        }
        if (weightBits < 2 || weightBits > 8) {
            throw new IllegalArgumentException("PQBackdoor weight bits must be in [2, 8], got " + weightBits);
        }
        this.weightGranularity = weightGranularity;
        this.halfLevels = halfLevels(weightBits);
    }

    /** The symmetric weight step divisor {@code (2^b − 1)/2}: 127.5 for int8, 7.5 for 4 bits. */
    public static float halfLevels(int bits) {
        return ((1 << bits) - 1) / 2f;
    }

    public Granularity weightGranularity() {
        return weightGranularity;
    }

    /** Centered integer levels {@code rne(x/s_a + z) − rne(z)} of an input batch. */
    public NDArray inputLevels(NDArray x) {
        return FakeQuantKernel.compute(x, scope -> {
            NDArray xd = x.stopGradient();
            float mn = xd.min().getFloat();
            float mx = xd.max().getFloat();
            float s = (mx - mn) / 255f;
            float z = -(mn / s + 128f);
            lastInputScale = s;
            return xd.div(s).add(z).round().sub((float) Math.rint(z));
        });
    }

    /** {@code s_a} of the last {@link #inputLevels} call (NaN before). */
    public float lastInputScale() {
        return lastInputScale;
    }

    /** Integer levels {@code rne(W/s_w)} of a weight [O, …]. */
    public NDArray weightLevels(NDArray w) {
        return FakeQuantKernel.compute(w, scope -> {
            NDArray wd = w.stopGradient();
            NDArray absMax;
            if (weightGranularity == Granularity.PER_TENSOR) {
                absMax = wd.abs().max();
            } else {
                absMax = wd.abs().reshape(w.getShape().get(0), -1).max(new int[] {1});
            }
            float[] s = absMax.div(halfLevels).toFloatArray();
            lastWeightScales = s;
            NDArray sArr = s.length == 1 && weightGranularity == Granularity.PER_TENSOR
                    ? scope.create(s[0])
                    : FakeQuantKernel.broadcast(scope, s, w.getShape(), 0);
            return wd.div(sArr).round();
        });
    }

    /** {@code s_w} of the last {@link #weightLevels} call (one per output channel for fbgemm). */
    public float[] lastWeightScales() {
        return lastWeightScales.clone();
    }

    /** Convenience: the dequantized weight {@code rne(W/s_w)·s_w}, in w's manager. */
    public NDArray dequantizedWeight(NDArray w) {
        return FakeQuantKernel.compute(w, scope -> {
            NDArray levels = weightLevels(w);
            return levels.mul(scales(scope, w));
        });
    }

    private NDArray scales(NDManager scope, NDArray w) {
        return weightGranularity == Granularity.PER_TENSOR
                ? scope.create(lastWeightScales[0])
                : FakeQuantKernel.broadcast(scope, lastWeightScales, w.getShape(), 0);
    }
}
