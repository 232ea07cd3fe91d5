package io.lac4j.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** Running min of mins / max of maxes of the raw ranges (PyTorch/MQBench {@code MinMaxObserver}). */
public final class MinMaxObserver extends RangeObserver implements Observer {
    public MinMaxObserver(QScheme scheme) {
        super(scheme);
    }

    @Override
    public Kind kind() {
        return Kind.MIN_MAX;
    }

    @Override
    float[][] candidate(NDManager scope, NDArray xd, float[] rawMin, float[] rawMax) {
        return new float[][] {rawMin, rawMax};
    }

    @Override
    void update(float[] min, float[] max, float[] curMin, float[] curMax) {
        runningMin(min, max, curMin, curMax);
    }

    @Override
    boolean setsOnFirst() {
        return false;
    }
}
