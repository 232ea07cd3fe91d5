package io.lac4j.defense;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.function.UnaryOperator;

/** Top-1 accuracy on the clean calibration images a defender holds: what a defense may check itself against. */
final class CalibrationAccuracy {
    private CalibrationAccuracy() {}

    /** Accuracy in % of {@code model} on {@code images} (batches, in list order) against {@code labels}. */
    static double of(UnaryOperator<NDArray> model, List<NDArray> images, int[] labels, NDManager scope) {
        long correct = 0;
        int at = 0;
        for (NDArray x : images) {
            try (NDManager step = scope.newSubManager()) {
                step.tempAttachAll(x);
                long[] predicted = model.apply(x).argMax(1).toLongArray();
                for (long p : predicted) {
                    correct += p == labels[at++] ? 1 : 0;
                }
            }
        }
        return 100.0 * correct / at;
    }
}
