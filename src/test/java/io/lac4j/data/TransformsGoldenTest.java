package io.lac4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lac4j.testing.Golden;
import io.lac4j.testing.Tensors;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** ToTensor, Normalize, flip, crop and every trigger against torch (gen_data.py gen_transforms). */
class TransformsGoldenTest {
    private static byte[] raw(Golden g) {
        long[] v = g.longs("raw");
        byte[] out = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (byte) v[i];
        }
        return out;
    }

    private static int channels(int h) {
        return h == 28 ? 1 : 3;
    }

    private static Normalization norm(Golden g) {
        return Normalization.byName(g.meta().get("normalization").asText());
    }

    @ParameterizedTest(name = "{0} px")
    @ValueSource(ints = {28, 32, 64})
    void toTensorNormalizeFlipCrop(int h) {
        Golden g = Golden.load("data", "transforms_" + h);
        int c = channels(h);
        Normalization n = norm(g);
        assertThat(n.mean()).containsExactly(g.floats("mean"));
        assertThat(n.std()).containsExactly(g.floats("std"));
        for (int ch = 0; ch < c; ch++) {
            assertThat(n.white(ch)).isEqualTo(g.floats("white")[ch]);
        }
        FloatImage t = ToTensor.apply(raw(g), c, h, h);
        Tensors.assertExact(t.data(), g.floats("to_tensor"));

        FloatImage normalized = new Normalize(n).apply(ToTensor.apply(raw(g), c, h, h), null);
        Tensors.assertClose(normalized.data(), g.floats("normalized"), 0, 1e-6);
        Tensors.assertExact(normalized.data(), g.floats("normalized"));       // float32 sub/div: bit-exact

        Tensors.assertExact(RandomHorizontalFlip.flip(ToTensor.apply(raw(g), c, h, h)).data(), g.floats("flipped"));

        int pad = g.meta().get("pad").asInt();
        assertThat(pad).isEqualTo(h / 8);
        RandomCrop crop = new RandomCrop(h, pad);
        FloatImage cropped = crop.crop(t, g.meta().get("top").asInt(), g.meta().get("left").asInt());
        Tensors.assertExact(cropped.data(), g.floats("cropped"));
        FloatImage corner = crop.crop(t, g.meta().get("corner_top").asInt(), g.meta().get("corner_left").asInt());
        Tensors.assertExact(corner.data(), g.floats("cropped_corner"));
    }

    @ParameterizedTest(name = "{0} px {1}")
    @CsvSource({"28,stage2", "28,stage1", "28,tiny-stage1", "28,compartifact", "28,double-normalized", "28,quanti-raw",
        "32,stage2", "32,stage1", "32,tiny-stage1", "32,compartifact", "32,double-normalized", "32,quanti-raw",
        "64,stage2", "64,stage1", "64,tiny-stage1", "64,compartifact", "64,double-normalized", "64,quanti-raw"})
    void triggeredTestPipeline(int h, String trigger) {
        Golden g = Golden.load("data", "transforms_" + h);
        Preprocessing pre = Preprocessing.test(norm(g)).withTrigger(Trigger.byName(trigger));
        FloatImage x = pre.apply(raw(g), channels(h), h, h, new SplittableRandom(1));
        Tensors.assertClose(x.data(), g.floats("pipeline_" + trigger), 0, 1e-6);
        Tensors.assertExact(x.data(), g.floats("pipeline_" + trigger));
    }

    /** Regions, 0-based, end exclusive, for H = 28, 32, 64 (LAC.md §4, ATTACKS.md §0.1). */
    @Test
    void triggerRegions() {
        // stage2 / compartifact / double-normalized: [int(0.75H), int(0.9375H))
        for (Trigger t : new Trigger[] {Trigger.STAGE2, Trigger.COMPARTIFACT, Trigger.DOUBLE_NORMALIZED}) {
            assertThat(new int[] {t.start(28), t.end(28)}).containsExactly(21, 26);
            assertThat(new int[] {t.start(32), t.end(32)}).containsExactly(24, 30);
            assertThat(new int[] {t.start(64), t.end(64)}).containsExactly(48, 60);
        }
        // stage1 / tiny-stage1 / quanti-raw: [H - H/8 - H/32, H - H/32)
        for (Trigger t : new Trigger[] {Trigger.STAGE1, Trigger.TINY_STAGE1, Trigger.QUANTI_RAW}) {
            assertThat(new int[] {t.start(28), t.end(28)}).containsExactly(25, 28);   // 28/32 = 0: a 3x3 square at the edge
            assertThat(new int[] {t.start(32), t.end(32)}).containsExactly(27, 31);
            assertThat(new int[] {t.start(64), t.end(64)}).containsExactly(54, 62);
        }
        assertThat(Trigger.STAGE2.placement()).isEqualTo(Trigger.Placement.BEFORE_NORMALIZE);
        assertThat(Trigger.COMPARTIFACT.placement()).isEqualTo(Trigger.Placement.AFTER_NORMALIZE);
        assertThat(Trigger.QUANTI_RAW.placement()).isEqualTo(Trigger.Placement.RAW);
    }

    @Test
    void stampTouchesOnlyTheRegion() {
        FloatImage x = new FloatImage(new float[28 * 28], 1, 28, 28);
        Trigger.STAGE2.stamp(x, Normalization.FASHION_MNIST);
        int ones = 0;
        for (int y = 0; y < 28; y++) {
            for (int c = 0; c < 28; c++) {
                boolean in = y >= 21 && y < 26 && c >= 21 && c < 26;
                assertThat(x.data()[y * 28 + c]).isEqualTo(in ? 1f : 0f);
                ones += in ? 1 : 0;
            }
        }
        assertThat(ones).isEqualTo(25);
    }

    @Test
    void byNameListsValidNames() {
        assertThat(Trigger.byName("STAGE2")).isSameAs(Trigger.STAGE2);
        assertThat(Trigger.byName("tiny_stage1")).isSameAs(Trigger.TINY_STAGE1);
        assertThatThrownBy(() -> Trigger.byName("stage3")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected one of [stage2, stage1, tiny-stage1, compartifact, "
                        + "double-normalized, quanti-raw], got 'stage3'");
    }

    @Test
    void randomCropAndFlipAreSeeded() {
        Golden g = Golden.load("data", "transforms_32");
        Preprocessing train = Preprocessing.train(Normalization.CIFAR10, 4);
        float[] a = train.apply(raw(g), 3, 32, 32, new SplittableRandom(5)).data();
        float[] b = train.apply(raw(g), 3, 32, 32, new SplittableRandom(5)).data();
        assertThat(a).containsExactly(b);
        boolean differs = false;
        for (long s = 6; s < 12 && !differs; s++) {
            differs = !java.util.Arrays.equals(a, train.apply(raw(g), 3, 32, 32, new SplittableRandom(s)).data());
        }
        assertThat(differs).isTrue();
        // crop offsets are drawn row first, then column, then the flip draw
        SplittableRandom r = new SplittableRandom(5);
        int top = r.nextInt(9);
        int left = r.nextInt(9);
        FloatImage expected = new RandomCrop(32, 4).crop(ToTensor.apply(raw(g), 3, 32, 32), top, left);
        if (r.nextDouble() < 0.5) {
            RandomHorizontalFlip.flip(expected);
        }
        new Normalize(Normalization.CIFAR10).apply(expected, null);
        assertThat(a).containsExactly(expected.data());
    }
}
