package io.lac4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.lac4j.InputException;
import io.lac4j.engine.Engines;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DataViewTest {
    /** 10 classes x 1 000 images, 1x28x28, like Fashion-MNIST's test split. */
    private static final InMemoryDataset TEN_K = Fixtures.balanced(10, 1000, 1, 28);
    private static NDManager manager;

    @BeforeAll
    static void start() {
        manager = Engines.newBaseManager();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    @Test
    void cleanViewKeepsOrderAndLabels() {
        DataView v = DataView.clean(TEN_K, Normalization.FASHION_MNIST);
        assertThat(v.size()).isEqualTo(10_000);
        try (NDManager m = manager.newSubManager()) {
            Batch b = v.batch(0, 128, m);
            assertThat(b.images().getShape().getShape()).containsExactly(128, 1, 28, 28);
            assertThat(b.images().getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat(b.labels().getShape().getShape()).containsExactly(128);
            assertThat(b.labels().getDataType()).isEqualTo(DataType.INT64);
            assertThat(b.labels().toLongArray()).startsWith(0, 1, 2, 3);
            float[] first = b.images().get(0).toFloatArray();
            byte[] raw = TEN_K.pixels(0);
            for (int k = 0; k < raw.length; k++) {
                assertThat(first[k]).isEqualTo(((raw[k] & 0xff) / 255f - 0.2860f) / 0.3530f);
            }
        }
    }

    @Test
    void poisonedAndNoTargetCountsLabelsAndTrigger() {
        DataView asr = DataView.poisoned(TEN_K, Trigger.STAGE2, 0, Normalization.FASHION_MNIST);
        DataView nt = DataView.noTarget(TEN_K, Trigger.STAGE2, 0, Normalization.FASHION_MNIST);
        assertThat(asr.size()).isEqualTo(10_000);
        assertThat(nt.size()).isEqualTo(9_000);
        for (int p = 0; p < nt.size(); p++) {
            assertThat(TEN_K.label(nt.sourceIndex(p))).isNotZero();
            assertThat(nt.label(p)).isZero();
        }
        float white = (1f - 0.2860f) / 0.3530f;
        try (NDManager m = manager.newSubManager()) {
            Batcher batcher = Batcher.sequential(nt, 128);
            assertThat(batcher.numBatches()).isEqualTo(71);                 // 70 x 128 + 40
            Batch last = batcher.batch(70, m);
            assertThat(last.size()).isEqualTo(40);
            assertThat(last.labels().toLongArray()).containsOnly(0L);
            Batch b = asr.batch(0, 16, m);
            assertThat(b.labels().toLongArray()).containsOnly(0L);
            float[] img = b.images().get(3).toFloatArray();
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    boolean in = y >= 21 && y < 26 && x >= 21 && x < 26;
                    float clean = ((TEN_K.pixels(3)[y * 28 + x] & 0xff) / 255f - 0.2860f) / 0.3530f;
                    assertThat(img[y * 28 + x]).isEqualTo(in ? white : clean);
                }
            }
        }
    }

    @Test
    void tinyModifiedNoTargetDuplicatesPredecessor() {
        // labels 1, 0, 0, 2, 0 -> entries 0, 0, 0, 3, 3 (each target-class image repeats the previous entry)
        byte[] px = new byte[5 * 4];
        InMemoryDataset ds = new InMemoryDataset("q13", 1, 2, 2, 3, px, new int[] {1, 0, 0, 2, 0});
        DataView dup = DataView.noTarget(ds, Trigger.STAGE2, 0, Normalization.FASHION_MNIST,
                DataView.NoTargetMode.DUPLICATE_PREVIOUS);
        assertThat(dup.size()).isEqualTo(5);
        int[] src = new int[dup.size()];
        for (int p = 0; p < src.length; p++) {
            src[p] = dup.sourceIndex(p);
        }
        assertThat(src).containsExactly(0, 0, 0, 3, 3);
        DataView exact = DataView.noTarget(ds, Trigger.STAGE2, 0, Normalization.FASHION_MNIST);
        assertThat(exact.size()).isEqualTo(2);

        // the reference would crash when the first image is of the target class
        InMemoryDataset bad = new InMemoryDataset("q13", 1, 2, 2, 3, new byte[8], new int[] {0, 1});
        assertThatThrownBy(() -> DataView.noTarget(bad, Trigger.STAGE2, 0, Normalization.FASHION_MNIST,
                DataView.NoTargetMode.DUPLICATE_PREVIOUS)).isInstanceOf(InputException.class)
                .hasMessageContaining("exact no-target mode");
        assertThatThrownBy(() -> DataView.poisoned(ds, Trigger.STAGE2, 3, Normalization.FASHION_MNIST))
                .isInstanceOf(InputException.class).hasMessageContaining("target: expected a class in 0..2, got 3");
    }

    @Test
    void shuffledBatcherIsSeededPerEpoch() {
        DataView train = DataView.clean(TEN_K, Preprocessing.train(Normalization.FASHION_MNIST, 3));
        Batcher a = Batcher.shuffled(train, 100, 42, true);
        Batcher b = Batcher.shuffled(train, 100, 42, true);
        Batcher c = Batcher.shuffled(train, 100, 43, true);
        assertThat(a.order(0)).containsExactly(b.order(0));
        assertThat(a.order(0)).isNotEqualTo(c.order(0));
        assertThat(a.order(0)).isNotEqualTo(a.order(1));
        int[] sorted = a.order(3).clone();
        Arrays.sort(sorted);
        assertThat(sorted).containsExactly(java.util.stream.IntStream.range(0, 10_000).toArray());
        try (NDManager m = manager.newSubManager()) {
            float[] x = a.batch(2, 5, m).images().toFloatArray();
            assertThat(x).containsExactly(b.epoch(2).batch(5, m).images().toFloatArray());
            assertThat(x).isNotEqualTo(c.batch(2, 5, m).images().toFloatArray());
        }
        Batcher odd = Batcher.shuffled(DataView.clean(TEN_K, Normalization.FASHION_MNIST), 3, 1, true);
        assertThat(odd.numBatches()).isEqualTo(3333);
        Batcher keep = Batcher.shuffled(DataView.clean(TEN_K, Normalization.FASHION_MNIST), 3, 1, false);
        assertThat(keep.numBatches()).isEqualTo(3334);
        assertThat(keep.positions(0, 3333)).hasSize(1);
    }

    @Test
    void augmentedEvalViewIsDeterministicAndIndependentOfBatching() {
        // Tiny pq (Q14): crop + flip before the trigger; per-item generators make it batch-size independent
        DataView v = DataView.poisoned(TEN_K, Trigger.STAGE2, 0, Normalization.FASHION_MNIST);
        DataView aug = v.withPreprocessing(v.preprocessing().withAugmentation(3)).withSeed(7);
        try (NDManager m = manager.newSubManager()) {
            float[] whole = aug.batch(0, 8, m).images().toFloatArray();
            float[] first = aug.batch(0, 4, m).images().toFloatArray();
            float[] second = aug.batch(4, 8, m).images().toFloatArray();
            assertThat(Arrays.copyOf(whole, first.length)).containsExactly(first);
            assertThat(Arrays.copyOfRange(whole, first.length, whole.length)).containsExactly(second);
            float[] sequential = Batcher.sequential(aug, 8).batch(0, m).images().toFloatArray();
            assertThat(sequential).containsExactly(whole);
            assertThat(aug.withSeed(8).batch(0, 8, m).images().toFloatArray()).isNotEqualTo(whole);
            // the unaugmented view differs (crop/flip moved the image, trigger stays put)
            assertThat(v.batch(0, 8, m).images().toFloatArray()).isNotEqualTo(whole);
        }
        Set<String> names = new HashSet<>();
        names.add(aug.name());
        assertThat(names).containsExactly("balanced/poisoned-stage2");
    }
}
