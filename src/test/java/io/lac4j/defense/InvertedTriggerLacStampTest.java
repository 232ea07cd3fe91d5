package io.lac4j.defense;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.lac4j.data.Normalization;
import io.lac4j.scan.RecoveredTrigger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * lac-inv's stamping: every second image of a calibration list (counted over the whole list, not the
 * batch) carries one class's pattern, the classes in turn; the others are untouched. The stamped values
 * are checked against the recovered trigger's own tensor formula ({@link RecoveredTrigger#apply}).
 */
class InvertedTriggerLacStampTest {
    @Test
    void stampsEverySecondImageOfTheListWithTheClassesInTurn() {
        int[] chw = {3, 4, 5};
        int per = 60;
        Normalization norm = Normalization.CIFAR10;
        SplittableRandom rng = new SplittableRandom(7);
        List<RecoveredTrigger> patterns = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            float[] mask = new float[20];
            float[] pattern = new float[per];
            for (int i = 0; i < mask.length; i++) {
                mask[i] = (float) rng.nextDouble();
            }
            for (int i = 0; i < pattern.length; i++) {
                pattern[i] = (float) rng.nextDouble();
            }
            patterns.add(new RecoveredTrigger(k, 3, 4, 5, mask, pattern, 0.5));
        }
        int n = 6;
        int first = 12;   // the third batch of a list of batches of 6
        float[] batch = new float[n * per];
        for (int i = 0; i < batch.length; i++) {
            batch[i] = (float) rng.nextGaussian();
        }
        float[] original = batch.clone();
        float[] out = InvertedTriggerLac.stamp(batch, first, chw, patterns, norm);

        assertThat(batch).containsExactly(original);
        try (NDManager m = NDManager.newBaseManager()) {
            for (int j = 0; j < n; j++) {
                float[] got = java.util.Arrays.copyOfRange(out, j * per, (j + 1) * per);
                float[] clean = java.util.Arrays.copyOfRange(original, j * per, (j + 1) * per);
                int index = first + j;
                if (index % 2 == 0) {
                    assertThat(got).as("image %d", index).containsExactly(clean);
                } else {
                    RecoveredTrigger t = patterns.get((index / 2) % 3);
                    NDArray x = m.create(clean, new Shape(1, 3, 4, 5));
                    float[] expected = t.apply(x, norm, m).toFloatArray();
                    assertThat(got).as("image %d, class %d", index, t.targetClass())
                            .containsExactly(expected, org.assertj.core.data.Offset.offset(1e-5f));
                    assertThat(got).isNotEqualTo(clean);
                }
            }
        }
    }
}
