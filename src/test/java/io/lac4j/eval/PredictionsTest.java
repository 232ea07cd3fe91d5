package io.lac4j.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.lac4j.data.DataView;
import io.lac4j.data.InMemoryDataset;
import io.lac4j.data.Normalization;
import io.lac4j.engine.Engines;
import io.lac4j.engine.Progress;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Image-by-image comparison of two evaluations: counts, ties to the lower class, mismatched sets refused. */
class PredictionsTest {
    /** Ten 1×2×2 images, image i filled with the byte value i. */
    static EvalSets sets() {
        byte[] px = new byte[10 * 4];
        int[] labels = new int[10];
        for (int i = 0; i < 10; i++) {
            java.util.Arrays.fill(px, i * 4, i * 4 + 4, (byte) i);
            labels[i] = i % 3;
        }
        InMemoryDataset ds = new InMemoryDataset("ten", 1, 2, 2, 3, px, labels);
        return new EvalSets(DataView.clean(ds, Normalization.identity(1)), null, null, 0, 4);
    }

    /** Logits [0, a·mean, b·mean] per image. */
    static UnaryOperator<NDArray> model(float a, float b) {
        return x -> {
            NDArray mean = x.reshape(x.getShape().get(0), -1).mean(new int[] {1}, true);
            NDArray zero = x.getManager().zeros(new Shape(x.getShape().get(0), 1));
            return zero.concat(mean.mul(a), 1).concat(mean.mul(b), 1);
        };
    }

    @Test
    void countsImagesWhoseTopClassDiffers() {
        Engines.start();
        try (NDManager m = Engines.newBaseManager()) {
            Predictions ties = new Predictions();
            PhaseMetrics all0 = BackdoorEvaluator.evaluate(model(0, 0), sets(), m, Progress.NONE, "a", ties);
            Predictions ones = new Predictions();
            BackdoorEvaluator.evaluate(model(1, 0.5f), sets(), m, Progress.NONE, "b", ones);
            Predictions twos = new Predictions();
            BackdoorEvaluator.evaluate(model(1, 2), sets(), m, Progress.NONE, "c", twos);

            // all-equal logits rank class 0 first: CDA is the share of label 0 (images 0, 3, 6, 9)
            assertThat(all0.cda()).isEqualTo(40.0);
            assertThat(ties.sizes()).isEqualTo(Map.of("clean", 10));
            // image 0 has mean 0 and stays class 0 everywhere; the other nine move to class 1 or 2
            assertThat(ties.disagreements(ones)).isEqualTo(Map.of("clean", 9));
            assertThat(ones.disagreements(twos)).isEqualTo(Map.of("clean", 9));
            assertThat(twos.disagreements(twos)).isEqualTo(Map.of("clean", 0));
        }
    }

    @Test
    void refusesToCompareDifferentImageSets() {
        Engines.start();
        try (NDManager m = Engines.newBaseManager()) {
            Predictions all = new Predictions();
            BackdoorEvaluator.evaluate(model(1, 0), sets(), m, Progress.NONE, "a", all);
            Predictions five = new Predictions();
            BackdoorEvaluator.evaluate(model(1, 0), sets().limit(5), m, Progress.NONE, "b", five);
            assertThatThrownBy(() -> all.disagreements(five)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("{clean=10} vs {clean=5}");
        }
    }
}
