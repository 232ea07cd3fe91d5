package io.lac4j.scan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.lac4j.data.Normalization;
import java.util.function.UnaryOperator;

/** Top-1 predictions of a model on clean images, and how often a recovered pattern sends them to its class. */
public final class FlipRate {
    private static final int CHUNK = 256;

    private FlipRate() {}

    /** Top-1 class of each of the {@code n} normalised images ({@code n·C·H·W} floats); ties go to the lower class. */
    public static int[] top1(UnaryOperator<NDArray> model, float[] images, int[] chw, NDManager parent) {
        return top1(model, images, chw, null, null, parent);
    }

    /**
     * Fraction of the images whose {@code reference} class is not the trigger's class that the model,
     * on the stamped images, puts in the trigger's class.
     */
    public static double of(UnaryOperator<NDArray> model, RecoveredTrigger t, float[] images, int[] reference,
                            int[] chw, Normalization norm, NDManager parent) {
        int[] pred = top1(model, images, chw, t, norm, parent);
        int eligible = 0;
        int flipped = 0;
        for (int i = 0; i < reference.length; i++) {
            if (reference[i] != t.targetClass()) {
                eligible++;
                if (pred[i] == t.targetClass()) {
                    flipped++;
                }
            }
        }
        return eligible == 0 ? 0 : (double) flipped / eligible;
    }

    /**
     * How much more often the pattern flips {@code attacked} than {@code kept} ({@link #of} of each; {@code kept} null
     * counts as 0): the score the scan ranks a quantized-only pattern by.
     */
    public static double difference(UnaryOperator<NDArray> attacked, UnaryOperator<NDArray> kept, RecoveredTrigger t,
                                    float[] images, int[] reference, int[] chw, Normalization norm, NDManager parent) {
        return of(attacked, t, images, reference, chw, norm, parent)
                - (kept == null ? 0 : of(kept, t, images, reference, chw, norm, parent));
    }

    private static int[] top1(UnaryOperator<NDArray> model, float[] images, int[] chw, RecoveredTrigger t,
                              Normalization norm, NDManager parent) {
        int per = chw[0] * chw[1] * chw[2];
        int n = images.length / per;
        int[] out = new int[n];
        for (int from = 0; from < n; from += CHUNK) {
            int to = Math.min(n, from + CHUNK);
            try (NDManager m = parent.newSubManager()) {
                NDArray x = m.create(java.util.Arrays.copyOfRange(images, from * per, to * per),
                        new Shape(to - from, chw[0], chw[1], chw[2]));
                if (t != null) {
                    x = t.apply(x, norm, m);
                }
                float[] logits = model.apply(x).toFloatArray();
                int k = logits.length / (to - from);
                for (int i = 0; i < to - from; i++) {
                    out[from + i] = io.lac4j.eval.Predictions.top1(logits, i * k, k);
                }
            }
        }
        return out;
    }
}
