package io.lac4j.attack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * PQBackdoor's projection keeps, for every element of random conv/linear tensors perturbed at
 * random scales, the nearest int8 level under the per-channel and the per-tensor scale (as the
 * simulated backends compute it: float32 {@code rne(W / (max|W|/127.5))}), and every per-channel
 * and per-tensor {@code max|W|} exactly; 1-D tensors are reset. Seeded; replay by case index.
 */
class PqProjectionProperties {
    static Stream<Arguments> cases() {
        SplittableRandom r = new SplittableRandom(0x9B0DL);
        return IntStream.range(0, 300).mapToObj(i -> {
            long[] shape = switch (r.nextInt(3)) {
                case 0 -> new long[] {1 + r.nextInt(6), 1 + r.nextInt(5), 3, 3};
                case 1 -> new long[] {1 + r.nextInt(8), 1 + r.nextInt(40)};
                default -> new long[] {1 + r.nextInt(8)};
            };
            int n = (int) java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b);
            float[] wb = new float[n];
            float scale = (float) Math.pow(10, -3 + 3 * r.nextDouble());
            for (int k = 0; k < n; k++) {
                wb[k] = (float) (r.nextGaussian() * scale);
                if (r.nextInt(20) == 0) {
                    wb[k] = 0f;                                   // zeros and ties on the grid
                }
            }
            if (r.nextInt(10) == 0) {
                java.util.Arrays.fill(wb, 0, Math.min(n, (int) (n / shape[0])), 0f);   // an all-zero channel
            }
            float step = (float) (scale * Math.pow(10, -3 + 4 * r.nextDouble()));   // tiny to huge moves
            float[] w = new float[n];
            for (int k = 0; k < n; k++) {
                w[k] = wb[k] + (float) (r.nextGaussian() * step);
            }
            return Arguments.of(i, shape, wb, w);
        });
    }

    @ParameterizedTest(name = "case {0}")
    @MethodSource("cases")
    void keepsNearestLevelsAndMaxima(int i, long[] shape, float[] wb, float[] w) {
        keepsNearestLevelsAndMaxima(shape, wb, w, PqProjection.HALF_LEVELS);
    }

    @ParameterizedTest(name = "case {0}")
    @MethodSource("cases")
    void keepsNearest4BitLevelsAndMaxima(int i, long[] shape, float[] wb, float[] w) {
        keepsNearestLevelsAndMaxima(shape, wb, w, io.lac4j.quant.PqBackdoorQuantizer.halfLevels(4));
    }

    private static void keepsNearestLevelsAndMaxima(long[] shape, float[] wb, float[] w, float halfLevels) {
        float[] p = w.clone();
        PqProjection.project(p, wb, shape, PqProjection.MARGIN, halfLevels);
        if (shape.length == 1) {
            assertThat(p).containsExactly(wb);
            return;
        }
        int c = (int) shape[0];
        int per = wb.length / c;
        assertThat(maxAbs(p, 0, p.length)).as("per-tensor max").isEqualTo(maxAbs(wb, 0, wb.length));
        float st = maxAbs(wb, 0, wb.length) / halfLevels;
        for (int ch = 0; ch < c; ch++) {
            float mc = maxAbs(wb, ch * per, (ch + 1) * per);
            assertThat(maxAbs(p, ch * per, (ch + 1) * per)).as("channel %d max", ch).isEqualTo(mc);
            float sc = mc / halfLevels;
            for (int k = ch * per; k < (ch + 1) * per; k++) {
                if (sc > 0) {
                    assertThat(Math.rint(p[k] / sc)).as("per-channel level of [%d]", k).isEqualTo(Math.rint(wb[k] / sc));
                }
                if (st > 0) {
                    assertThat(Math.rint(p[k] / st)).as("per-tensor level of [%d]", k).isEqualTo(Math.rint(wb[k] / st));
                }
            }
        }
    }

    @ParameterizedTest(name = "case {0}")
    @MethodSource("cases")
    void isIdempotentAndKeepsTheBase(int i, long[] shape, float[] wb, float[] w) {
        float[] once = w.clone();
        PqProjection.project(once, wb, shape, PqProjection.MARGIN);
        float[] twice = once.clone();
        PqProjection.project(twice, wb, shape, PqProjection.MARGIN);
        assertThat(twice).containsExactly(once);
        float[] base = wb.clone();
        PqProjection.project(base, wb, shape, PqProjection.MARGIN);
        for (int k = 0; k < base.length; k++) {
            // the base itself only moves when it sits within e of a bin edge
            assertThat(Math.abs(base[k] - wb[k])).isLessThanOrEqualTo(Math.abs(wb[k]) * 1e-2f + 1e-30f);
        }
    }

    private static float maxAbs(float[] a, int from, int to) {
        float m = 0f;
        for (int k = from; k < to; k++) {
            m = Math.max(m, Math.abs(a[k]));
        }
        return m;
    }
}
