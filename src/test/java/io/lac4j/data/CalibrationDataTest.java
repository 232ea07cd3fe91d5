package io.lac4j.data;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.lac4j.engine.Engines;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CalibrationDataTest {
    private static final InMemoryDataset TRAIN = Fixtures.balanced(10, 2048, 3, 8);    // 20 480 -> 5 % = 1 024
    private static final InMemoryDataset TEST = Fixtures.balanced(10, 200, 3, 8);

    @Test
    void listsHaveTheReferenceSizesAndSources() {
        CalibrationData cal = CalibrationData.draw(TRAIN, TEST, Normalization.CIFAR10, new SplittableRandom(1005));
        CalibrationList recon = cal.reconstruction();
        CalibrationList act = cal.activation();
        assertThat(recon.size()).isEqualTo(32);
        assertThat(act.size()).isEqualTo(32);
        assertThat(recon.images()).isEqualTo(1024);
        assertThat(act.images()).isEqualTo(1024);
        // (b) is a permutation of the first int(0.05 * 20 480) = 1 024 train indices
        int[] r = recon.sourceIndices();
        int[] sorted = r.clone();
        Arrays.sort(sorted);
        assertThat(sorted).containsExactly(java.util.stream.IntStream.range(0, 1024).toArray());
        assertThat(r).isNotEqualTo(sorted);
        // (a) distinct test images
        Set<Integer> seen = new HashSet<>();
        for (int i : act.sourceIndices()) {
            assertThat(i).isBetween(0, TEST.size() - 1);
            assertThat(seen.add(i)).isTrue();
        }
        try (NDManager m = Engines.newBaseManager()) {
            NDArray b0 = act.batch(0, m);
            assertThat(b0.getShape().getShape()).containsExactly(32, 3, 8, 8);
            // the test transform is deterministic: batch 0 image 0 equals the clean view of that index
            float[] expected = DataView.clean(TEST, Normalization.CIFAR10).image(act.sourceIndices()[0], 0).data();
            assertThat(Arrays.copyOf(b0.toFloatArray(), expected.length)).containsExactly(expected);
            assertThat(recon.all(m)).hasSize(32);
        }
    }

    @Test
    void reconstructionListIsAugmented() {
        CalibrationData cal = CalibrationData.draw(TRAIN, TEST, Normalization.CIFAR10, new SplittableRandom(3));
        int changed = 0;
        int[] idx = cal.reconstruction().sourceIndices();
        DataView clean = DataView.clean(TRAIN, Normalization.CIFAR10);
        int per = 3 * 8 * 8;
        for (int k = 0; k < 32; k++) {
            float[] got = Arrays.copyOfRange(cal.reconstruction().values(0), k * per, (k + 1) * per);
            changed += Arrays.equals(got, clean.image(idx[k], 0).data()) ? 0 : 1;
        }
        assertThat(changed).isGreaterThan(16);                       // crop (pad 1) + flip move most images
        CalibrationData plain = CalibrationData.draw(TRAIN, TEST, Normalization.CIFAR10, new SplittableRandom(3),
                new CalibrationConfig(32, 32, 32, 0.05, CalibrationConfig.Subset.FIRST, false,
                        CalibrationConfig.ActivationSource.TEST));
        int[] pidx = plain.reconstruction().sourceIndices();
        assertThat(Arrays.copyOf(plain.reconstruction().values(0), per)).containsExactly(clean.image(pidx[0], 0).data());
    }

    @Test
    void seededAndConfigurable() {
        CalibrationData a = CalibrationData.draw(TRAIN, TEST, Normalization.CIFAR10, new SplittableRandom(9));
        CalibrationData b = CalibrationData.draw(TRAIN, TEST, Normalization.CIFAR10, new SplittableRandom(9));
        CalibrationData c = CalibrationData.draw(TRAIN, TEST, Normalization.CIFAR10, new SplittableRandom(10));
        assertThat(a.reconstruction().sourceIndices()).containsExactly(b.reconstruction().sourceIndices());
        assertThat(a.reconstruction().values(5)).containsExactly(b.reconstruction().values(5));
        assertThat(a.activation().values(5)).containsExactly(b.activation().values(5));
        assertThat(a.reconstruction().sourceIndices()).isNotEqualTo(c.reconstruction().sourceIndices());

        // a subset smaller than 32 x 32: int(0.01 * 20 480) = 204 images -> 6 x 32 + 12
        CalibrationData small = CalibrationData.draw(TRAIN, TEST, Normalization.CIFAR10, new SplittableRandom(9),
                CalibrationConfig.LAC.withSubset(0.01, CalibrationConfig.Subset.FIRST).withBatches(32, 4));
        assertThat(small.reconstruction().size()).isEqualTo(7);
        assertThat(small.reconstruction().batchSize(6)).isEqualTo(12);
        assertThat(small.activation().size()).isEqualTo(4);
        CalibrationData random = CalibrationData.draw(TRAIN, TEST, Normalization.CIFAR10, new SplittableRandom(9),
                CalibrationConfig.LAC.withSubset(0.05, CalibrationConfig.Subset.RANDOM));
        assertThat(Arrays.stream(random.reconstruction().sourceIndices()).max().getAsInt()).isGreaterThan(1024);
    }
}
