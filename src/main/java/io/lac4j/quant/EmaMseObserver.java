package io.lac4j.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** MSE-best shrunken range per tensor, EMA-merged: the first tensor sets, then {@code m ← 0.9·m + 0.1·cur} (MQBench {@code EMAMSEObserver}; LAC.md §6.4, used for activations). */
public final class EmaMseObserver extends RangeObserver implements Observer {
    /** MQBench's default {@code ema_ratio}. */
    public static final double DEFAULT_EMA_RATIO = 0.9;

    private final double emaRatio;

    public EmaMseObserver(QScheme scheme) {
        this(scheme, DEFAULT_EMA_RATIO);
    }

    /** @param emaRatio weight of the old range: {@code m ← r·m + (1 − r)·cur} (float32) */
    public EmaMseObserver(QScheme scheme, double emaRatio) {
        super(scheme);
        if (!(emaRatio >= 0 && emaRatio <= 1)) {
            throw new IllegalArgumentException("ema_ratio: expected in [0, 1], got " + emaRatio);
        }
        this.emaRatio = emaRatio;
    }

    public double emaRatio() {
        return emaRatio;
    }

    @Override
    public Kind kind() {
        return Kind.EMA_MSE;
    }

    @Override
    float[][] candidate(NDManager scope, NDArray xd, float[] rawMin, float[] rawMax) {
        int n = scheme().perChannel() ? PER_CHANNEL_CANDIDATES : PER_TENSOR_CANDIDATES;
        return mseSearch(scope, xd, rawMin, rawMax, n);
    }

    @Override
    void update(float[] min, float[] max, float[] curMin, float[] curMax) {
        ema(min, max, curMin, curMax, emaRatio);
    }

    @Override
    boolean setsOnFirst() {
        return true;
    }
}
