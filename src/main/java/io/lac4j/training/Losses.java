package io.lac4j.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/** Loss pieces with PyTorch semantics. */
public final class Losses {
    private Losses() {}

    /** {@code F.cross_entropy(logits, labels)}: mean over the batch of {@code −log_softmax[label]}. */
    public static NDArray crossEntropy(NDArray logits, NDArray labels) {
        int k = (int) logits.getShape().get(1);
        NDArray oneHot = labels.oneHot(k).toType(DataType.FLOAT32, false);
        return logits.logSoftmax(1).mul(oneHot).sum(new int[] {1}).mean().neg();
    }

    /** Samples whose arg-max logit equals the label. */
    public static long correct(NDArray logits, NDArray labels) {
        float[] l = logits.stopGradient().toFloatArray();
        long[] y = labels.toLongArray();
        int k = (int) logits.getShape().get(1);
        long c = 0;
        for (int i = 0; i < y.length; i++) {
            int best = 0;
            for (int j = 1; j < k; j++) {
                if (l[i * k + j] > l[i * k + best]) {
                    best = j;
                }
            }
            c += best == y[i] ? 1 : 0;
        }
        return c;
    }

    /** Labels all equal to {@code target}, int64 {@code [n]}. */
    public static NDArray targets(NDManager m, int n, int target) {
        long[] t = new long[n];
        java.util.Arrays.fill(t, target);
        return m.create(t, new Shape(n));
    }

    /** Rows of a and b stacked. */
    public static NDArray concat(NDArray a, NDArray b) {
        return NDArrays.concat(new ai.djl.ndarray.NDList(a, b), 0);
    }
}
