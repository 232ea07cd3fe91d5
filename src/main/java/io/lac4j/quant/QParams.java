package io.lac4j.quant;

import java.util.Arrays;

/**
 * Scale (step size, float32) and integer zero point of an affine quantizer, one pair per tensor
 * ({@code axis == -1}) or one per channel along {@code axis}. Plain Java arrays, never NDArrays;
 * the arrays are copied in and out, so a {@code QParams} is immutable.
 *
 * @param scale step sizes, length 1 for per-tensor
 * @param zeroPoint integer zero points, same length as {@code scale}
 * @param axis channel axis, or -1 for per-tensor
 */
public record QParams(float[] scale, int[] zeroPoint, int axis) {

    /** float32 machine epsilon, the floor of every scale (LAC.md §6.3). */
    public static final float EPS = 1.1920929e-07f;

    public QParams {
        if (scale == null || zeroPoint == null || scale.length != zeroPoint.length || scale.length == 0) {
            throw new IllegalArgumentException("scale and zero point: expected equal non-zero lengths, got "
                    + (scale == null ? null : scale.length) + " and " + (zeroPoint == null ? null : zeroPoint.length));
        }
        if (axis < -1 || (axis == -1 && scale.length != 1)) {
            throw new IllegalArgumentException("axis: expected -1 with one scale or >= 0, got " + axis
                    + " with " + scale.length + " scales");
        }
        scale = scale.clone();
        zeroPoint = zeroPoint.clone();
    }

    /** Per-tensor parameters. */
    public static QParams perTensor(float scale, int zeroPoint) {
        return new QParams(new float[] {scale}, new int[] {zeroPoint}, -1);
    }

    /** What an observer that never saw data yields: s = 1, z = 0 (PyTorch's empty-observer rule). */
    public static QParams unobserved() {
        return perTensor(1f, 0);
    }

    @Override
    public float[] scale() {
        return scale.clone();
    }

    @Override
    public int[] zeroPoint() {
        return zeroPoint.clone();
    }

    public float scale(int channel) {
        return scale[channel];
    }

    public int zeroPoint(int channel) {
        return zeroPoint[channel];
    }

    public int channels() {
        return scale.length;
    }

    public boolean perChannel() {
        return axis >= 0;
    }

    /**
     * Scale and zero point from a per-tensor range with PyTorch's float32 rule (LAC.md §6.3): the
     * range is widened to contain 0, the scale is floored at {@link #EPS}, the zero point is {@code
     * qmin - rne(mn / s)} clamped to the range; symmetric schemes have z = 0. An unobserved range
     * ({@code +inf, -inf}) gives s = 1, z = 0.
     */
    public static QParams fromRange(float min, float max, QScheme scheme) {
        return fromRange(new float[] {min}, new float[] {max}, scheme, -1);
    }

    /** Per-channel (or, with {@code axis == -1} and length 1, per-tensor) version of §6.3. */
    public static QParams fromRange(float[] min, float[] max, QScheme scheme, int axis) {
        if (min.length != max.length) {
            throw new IllegalArgumentException("min/max: expected equal lengths, got " + min.length + " and " + max.length);
        }
        int n = min.length;
        float[] s = new float[n];
        int[] z = new int[n];
        int qmin = scheme.qmin();
        int qmax = scheme.qmax();
        for (int c = 0; c < n; c++) {
            if (min[c] == Float.POSITIVE_INFINITY && max[c] == Float.NEGATIVE_INFINITY) {
                s[c] = 1f;
                z[c] = 0;
                continue;
            }
            float mn = Math.min(min[c], 0f);
            float mx = Math.max(max[c], 0f);
            float sc;
            if (scheme.symmetric()) {
                float m = Math.max(-mn, mx);
                sc = m / (float) ((qmax - qmin) / 2.0);
                sc = Math.max(sc, EPS);
                if (scheme.potScale()) {
                    sc = powerOfTwo(sc);
                }
                z[c] = 0;
            } else {
                sc = (mx - mn) / (float) (qmax - qmin);
                sc = Math.max(sc, EPS);
                if (scheme.potScale()) {
                    sc = powerOfTwo(sc);
                }
                float zf = qmin - (float) Math.rint(mn / sc);
                zf = Math.min(Math.max(zf, qmin), qmax);
                z[c] = (int) zf;
            }
            s[c] = sc;
        }
        return new QParams(s, z, axis);
    }

    /** MQBench {@code pot_quantization}: {@code 2^rne(log2 s)}. */
    static float powerOfTwo(float s) {
        double log2 = Math.log(s) / Math.log(2.0);
        return (float) Math.pow(2.0, Math.rint((float) log2));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QParams q && axis == q.axis && Arrays.equals(scale, q.scale)
                && Arrays.equals(zeroPoint, q.zeroPoint);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(scale) + Arrays.hashCode(zeroPoint)) + axis;
    }

    @Override
    public String toString() {
        return "QParams[scale=" + Arrays.toString(scale) + ", zeroPoint=" + Arrays.toString(zeroPoint)
                + ", axis=" + axis + "]";
    }
}
