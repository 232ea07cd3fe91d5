package io.lac4j.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;

/**
 * Shared state of the four observers: the running range as float arrays, the per-tensor/per-channel
 * raw min/max and the MSE candidate search (LAC.md §6.4).
 */
abstract class RangeObserver {
    /** MSE candidates for per-tensor ranges (factors 1.00 … 0.06), LAC.md Q10. */
    static final int PER_TENSOR_CANDIDATES = 95;
    /** MSE candidates for per-channel ranges (factors 1.00 … 0.21), LAC.md Q10. */
    static final int PER_CHANNEL_CANDIDATES = 80;

    private final QScheme scheme;
    private float[] min;
    private float[] max;

    RangeObserver(QScheme scheme) {
        if (scheme == null) {
            throw new IllegalArgumentException("scheme must be set");
        }
        this.scheme = scheme;
    }

    public final QScheme scheme() {
        return scheme;
    }

    public final void observe(NDArray x) {
        if (x.size() == 0) {
            return;
        }
        try (NDManager scope = x.getManager().newSubManager()) {
            NDArray xd = x.stopGradient();
            xd.attach(scope);
            if (xd.getDataType() != DataType.FLOAT32) {
                xd = xd.toType(DataType.FLOAT32, false);
            }
            float[][] raw = rawMinMax(xd);
            float[][] cur = candidate(scope, xd, raw[0], raw[1]);
            if (min == null) {
                min = new float[cur[0].length];
                max = new float[cur[0].length];
                Arrays.fill(min, Float.POSITIVE_INFINITY);
                Arrays.fill(max, Float.NEGATIVE_INFINITY);
                first(cur[0], cur[1]);
            } else {
                if (cur[0].length != min.length) {
                    throw new IllegalArgumentException("observer: expected " + min.length
                            + " channels as before, got " + cur[0].length);
                }
                update(min, max, cur[0], cur[1]);
            }
        }
    }

    /** The range this tensor contributes (raw min/max, or the MSE-best candidate). */
    abstract float[][] candidate(NDManager scope, NDArray xd, float[] rawMin, float[] rawMax);

    /** Merges a tensor's range into the running state (arrays are updated in place). */
    abstract void update(float[] min, float[] max, float[] curMin, float[] curMax);

    private void first(float[] curMin, float[] curMax) {
        if (setsOnFirst()) {
            System.arraycopy(curMin, 0, min, 0, min.length);
            System.arraycopy(curMax, 0, max, 0, max.length);
        } else {
            update(min, max, curMin, curMax);
        }
    }

    /** EMA observers copy the first tensor's range; running min/max observers merge with ±inf. */
    abstract boolean setsOnFirst();

    public final QParams qparams() {
        if (min == null) {
            return QParams.unobserved();
        }
        return QParams.fromRange(min, max, scheme, scheme.perChannel() ? scheme.channelAxis() : -1);
    }

    public final float[] minVal() {
        return min == null ? new float[] {Float.POSITIVE_INFINITY} : min.clone();
    }

    public final float[] maxVal() {
        return max == null ? new float[] {Float.NEGATIVE_INFINITY} : max.clone();
    }

    public final boolean observed() {
        return min != null;
    }

    public final void reset() {
        min = null;
        max = null;
    }

    /** Raw min/max: over all elements, or per channel along the scheme's axis. */
    final float[][] rawMinMax(NDArray xd) {
        if (!scheme.perChannel()) {
            return new float[][] {{xd.min().getFloat()}, {xd.max().getFloat()}};
        }
        int axis = scheme.channelAxis();
        NDArray y = axis == 0 ? xd : xd.swapAxes(0, axis);
        long c = y.getShape().get(0);
        NDArray flat = y.reshape(c, -1);
        return new float[][] {flat.min(new int[] {1}).toFloatArray(), flat.max(new int[] {1}).toFloatArray()};
    }

    static void runningMin(float[] min, float[] max, float[] curMin, float[] curMax) {
        for (int c = 0; c < min.length; c++) {
            min[c] = Math.min(min[c], curMin[c]);
            max[c] = Math.max(max[c], curMax[c]);
        }
    }

    static void ema(float[] min, float[] max, float[] curMin, float[] curMax, double ratio) {
        float r = (float) ratio;
        float r1 = (float) (1.0 - ratio);
        for (int c = 0; c < min.length; c++) {
            min[c] = min[c] * r + curMin[c] * r1;
            max[c] = max[c] * r + curMax[c] * r1;
        }
    }

    /**
     * MQBench's MSE search: candidate i scales the raw range by {@code float32(1 − 0.01·i)},
     * quantizes {@code xd} with §6.3 of it, scores {@code mean((x̂ − x)²)} (per channel: over all
     * other dims) and keeps the first strictly better candidate; best starts at 1e10 with the raw
     * range.
     */
    final float[][] mseSearch(NDManager scope, NDArray xd, float[] mn0, float[] mx0, int candidates) {
        int n = mn0.length;
        float[] bestMin = mn0.clone();
        float[] bestMax = mx0.clone();
        float[] best = new float[n];
        Arrays.fill(best, 1e10f);
        int axis = scheme.perChannel() ? scheme.channelAxis() : -1;
        float[] mn = new float[n];
        float[] mx = new float[n];
        for (int i = 0; i < candidates; i++) {
            float f = (float) (1.0 - i * 0.01);
            for (int c = 0; c < n; c++) {
                mn[c] = mn0[c] * f;
                mx[c] = mx0[c] * f;
            }
            QParams qp = QParams.fromRange(mn, mx, scheme, axis);
            try (NDManager step = scope.newSubManager()) {
                step.tempAttachAll(xd);
                // (x̂ − x)², bit-identical to exact(…).sub(xd) squared (see searchSquaredError)
                NDArray sq = FakeQuantKernel.searchSquaredError(step, xd, qp, scheme.qmin(), scheme.qmax());
                // per channel: mean over all other dims; axis 0 is a contiguous [C, rest] block,
                // exactly torch's mean(dims != 0) (other axes are moved to 0 first)
                float[] score = (axis < 0 ? sq.mean()
                        : (axis == 0 ? sq : sq.swapAxes(0, axis)).reshape(n, -1).mean(new int[] {1})).toFloatArray();
                for (int c = 0; c < n; c++) {
                    if (score[c] < best[c]) {
                        best[c] = score[c];
                        bestMin[c] = mn[c];
                        bestMax[c] = mx[c];
                    }
                }
            }
        }
        return new float[][] {bestMin, bestMax};
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + scheme + ", min=" + Arrays.toString(min) + ", max="
                + Arrays.toString(max) + "]";
    }
}
