package io.lac4j.quant;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.lac4j.engine.Engines;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The MSE search's fused squared error ({@link FakeQuantKernel#searchSquaredError}) against the
 * sequential formulation it replaced ({@code d = exact(…).sub(x); d.mul(d)}): bit-identical on every
 * candidate, hence identical scores, ranges and (scale, zero point). No timing here (STYLE §6.8).
 */
class MseSearchExactnessTest {
    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String data : new String[] {"normal", "relu", "outliers", "tiny", "constant", "zeros", "signed-zeros", "positive"}) {
            for (String scheme : new String[] {"a4", "a8", "s4", "s8", "w4", "ws4"}) {
                out.add(Arguments.of(data, scheme));
            }
        }
        return out.stream();
    }

    static QScheme scheme(String name) {
        return switch (name) {
            case "a4" -> QScheme.asymmetric(4, Granularity.PER_TENSOR);
            case "a8" -> QScheme.asymmetric(8, Granularity.PER_TENSOR);
            case "s4" -> QScheme.symmetric(4, Granularity.PER_TENSOR);
            case "s8" -> QScheme.symmetric(8, Granularity.PER_TENSOR);
            case "w4" -> QScheme.asymmetric(4, Granularity.PER_CHANNEL);
            default -> QScheme.symmetric(4, Granularity.PER_CHANNEL);
        };
    }

    static float[] data(String kind, int n, long seed) {
        Random r = new Random(seed);
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            double g = r.nextGaussian();
            f[i] = switch (kind) {
                case "normal" -> (float) g;
                case "relu" -> (float) Math.max(0, g * 2.5);
                case "outliers" -> (float) (i % 997 == 0 ? g * 300 : g * 0.1);
                case "tiny" -> (float) (g * 1e-6);
                case "constant" -> 0.75f;
                case "zeros" -> 0f;
                case "signed-zeros" -> i % 3 == 0 ? -0.0f : (float) (g * 1e-3);
                default -> (float) (Math.abs(g) + 0.5);
            };
        }
        return f;
    }

    /** The search's data: an activation-like [8, 6, 5, 5] tensor (channel axis 0 for weights). */
    static NDArray tensor(NDManager m, String kind, long seed) {
        return m.create(data(kind, 8 * 6 * 5 * 5, seed), new Shape(8, 6, 5, 5));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void squaredErrorIsBitIdenticalOnEveryCandidate(String kind, String schemeName) {
        QScheme s = scheme(schemeName);
        int axis = s.perChannel() ? s.channelAxis() : -1;
        int n = s.perChannel() ? RangeObserver.PER_CHANNEL_CANDIDATES : RangeObserver.PER_TENSOR_CANDIDATES;
        try (NDManager m = Engines.newBaseManager()) {
            NDArray x = tensor(m, kind, 7);
            float[][] raw = rawRange(x, s);
            for (int i = 0; i < n; i++) {
                QParams qp = QParams.fromRange(scaled(raw[0], i), scaled(raw[1], i), s, axis);
                try (NDManager step = m.newSubManager()) {
                    step.tempAttachAll(x);
                    NDArray d = FakeQuantKernel.exact(step, x, qp, s.qmin(), s.qmax()).sub(x);
                    float[] expected = d.mul(d).toFloatArray();
                    float[] actual = FakeQuantKernel.searchSquaredError(step, x, qp, s.qmin(), s.qmax()).toFloatArray();
                    assertThat(bits(actual)).as("candidate %d", i).isEqualTo(bits(expected));
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void observersGiveTheSameRangesAndQParamsAsTheSequentialSearch(String kind, String schemeName) {
        QScheme s = scheme(schemeName);
        Observer.Kind obsKind = s.perChannel() ? Observer.Kind.MSE : Observer.Kind.EMA_MSE;
        Observer ob = Observer.create(obsKind, s);
        float[] refMin = null;
        float[] refMax = null;
        try (NDManager m = Engines.newBaseManager()) {
            for (long seed = 1; seed <= 3; seed++) {
                NDArray x = tensor(m, kind, seed);
                ob.observe(x);
                float[][] cur = sequentialSearch(m, x, s);
                if (refMin == null) {
                    refMin = s.perChannel() ? fill(cur[0].length, Float.POSITIVE_INFINITY) : cur[0].clone();
                    refMax = s.perChannel() ? fill(cur[0].length, Float.NEGATIVE_INFINITY) : cur[1].clone();
                    if (!s.perChannel()) {
                        continue;
                    }
                }
                if (s.perChannel()) {
                    RangeObserver.runningMin(refMin, refMax, cur[0], cur[1]);
                } else {
                    RangeObserver.ema(refMin, refMax, cur[0], cur[1], EmaMseObserver.DEFAULT_EMA_RATIO);
                }
            }
        }
        assertThat(bits(ob.minVal())).isEqualTo(bits(refMin));
        assertThat(bits(ob.maxVal())).isEqualTo(bits(refMax));
        QParams expected = QParams.fromRange(refMin, refMax, s, s.perChannel() ? s.channelAxis() : -1);
        assertThat(bits(ob.qparams().scale())).isEqualTo(bits(expected.scale()));
        assertThat(ob.qparams().zeroPoint()).isEqualTo(expected.zeroPoint());
    }

    @Test
    void largeActivationMatchesTooOnAllCandidates() {
        // the calibration benchmark's shape: [32, 16, 28, 28], ReLU-like, 4-bit asymmetric
        QScheme s = QScheme.asymmetric(4, Granularity.PER_TENSOR);
        try (NDManager m = Engines.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(32, 16, 28, 28)).maximum(0f).mul(3f);
            float[][] expected = sequentialSearch(m, x, s);
            Observer ob = Observer.create(Observer.Kind.EMA_MSE, s);
            ob.observe(x);
            assertThat(bits(ob.minVal())).isEqualTo(bits(expected[0]));
            assertThat(bits(ob.maxVal())).isEqualTo(bits(expected[1]));
        }
    }

    /** The search exactly as it was before the fused squared error (sequential, one candidate at a time). */
    static float[][] sequentialSearch(NDManager m, NDArray x, QScheme s) {
        int axis = s.perChannel() ? s.channelAxis() : -1;
        int candidates = s.perChannel() ? RangeObserver.PER_CHANNEL_CANDIDATES : RangeObserver.PER_TENSOR_CANDIDATES;
        float[][] raw = rawRange(x, s);
        int n = raw[0].length;
        float[] bestMin = raw[0].clone();
        float[] bestMax = raw[1].clone();
        float[] best = fill(n, 1e10f);
        for (int i = 0; i < candidates; i++) {
            float[] mn = scaled(raw[0], i);
            float[] mx = scaled(raw[1], i);
            QParams qp = QParams.fromRange(mn, mx, s, axis);
            try (NDManager step = m.newSubManager()) {
                step.tempAttachAll(x);
                NDArray d = FakeQuantKernel.exact(step, x, qp, s.qmin(), s.qmax()).sub(x);
                NDArray sq = d.mul(d);
                float[] score = (axis < 0 ? sq.mean() : sq.reshape(n, -1).mean(new int[] {1})).toFloatArray();
                for (int c = 0; c < n; c++) {
                    if (score[c] < best[c]) {
                        best[c] = score[c];
                        bestMin[c] = mn[c];
                        bestMax[c] = mx[c];
                    }
                }
            }
        }
        return new float[][] {bestMin, bestMax};
    }

    static float[][] rawRange(NDArray x, QScheme s) {
        if (!s.perChannel()) {
            return new float[][] {{x.min().getFloat()}, {x.max().getFloat()}};
        }
        NDArray flat = x.reshape(x.getShape().get(0), -1);
        return new float[][] {flat.min(new int[] {1}).toFloatArray(), flat.max(new int[] {1}).toFloatArray()};
    }

    static float[] scaled(float[] v, int i) {
        float f = (float) (1.0 - i * 0.01);
        float[] out = new float[v.length];
        for (int c = 0; c < v.length; c++) {
            out[c] = v[c] * f;
        }
        return out;
    }

    static float[] fill(int n, float v) {
        float[] f = new float[n];
        Arrays.fill(f, v);
        return f;
    }

    static int[] bits(float[] f) {
        int[] b = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            b[i] = Float.floatToRawIntBits(f[i]);
        }
        return b;
    }
}
