package io.lac4j.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** MSE-best shrunken range per tensor (95 candidates per tensor, 80 per channel), merged as running min/max (MQBench {@code MSEObserver}; LAC.md §6.4, used for weights). */
public final class MseObserver extends RangeObserver implements Observer {
    public MseObserver(QScheme scheme) {
        super(scheme);
    }

    @Override
    public Kind kind() {
        return Kind.MSE;
    }

    @Override
    float[][] candidate(NDManager scope, NDArray xd, float[] rawMin, float[] rawMax) {
        int n = scheme().perChannel() ? PER_CHANNEL_CANDIDATES : PER_TENSOR_CANDIDATES;
        return mseSearch(scope, xd, rawMin, rawMax, n);
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
