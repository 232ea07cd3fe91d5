package io.lac4j.quant;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.lac4j.engine.Engines;
import io.lac4j.testing.Tensors;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Seeded properties of fixed fake quantization (STYLE §6.8); replay a failure by its case index. */
class FakeQuantProperties {
    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = Engines.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    static QScheme scheme(SplittableRandom r) {
        int bits = 2 + r.nextInt(7);
        boolean sym = r.nextBoolean();
        QuantRange range = QuantRange.values()[r.nextInt(bits >= 3 ? 3 : 2)];
        Rounding rounding = r.nextInt(4) == 0 ? Rounding.HALF_UP : Rounding.HALF_EVEN;
        return new QScheme(bits, sym, Granularity.PER_TENSOR, -1, false, range, rounding);
    }

    static float[] tensor(SplittableRandom r, int n) {
        float spread = (float) Math.pow(10, r.nextDouble(-3, 2));
        float shift = (float) (r.nextDouble(-1, 1) * spread);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (r.nextGaussian() * spread + shift);
        }
        return x;
    }

    static Stream<Arguments> cases() {
        SplittableRandom r = new SplittableRandom(0x1AC4L);
        return IntStream.range(0, 200).mapToObj(i -> {
            QScheme s = scheme(r);
            float[] x = tensor(r, 48);
            // a range narrower or wider than the data, so values fall outside the grid too
            float lo = (float) (Arrays.stream(toDouble(x)).min().orElse(0) * r.nextDouble(0.3, 1.3));
            float hi = (float) (Arrays.stream(toDouble(x)).max().orElse(0) * r.nextDouble(0.3, 1.3));
            return Arguments.of(i, s, x, QParams.fromRange(lo, hi, s));
        });
    }

    private static double[] toDouble(float[] x) {
        return IntStream.range(0, x.length).mapToDouble(i -> x[i]).toArray();
    }

    @ParameterizedTest(name = "case {0}")
    @MethodSource("cases")
    void fakeQuantIsIdempotentOnGridAndInRange(int i, QScheme s, float[] xs, QParams qp) {
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.create(xs);
            NDArray y = FakeQuantKernel.fakeQuantize(x, qp, s.qmin(), s.qmax(), s.rounding());
            float[] yv = y.toFloatArray();
            // idempotent, exactly
            Tensors.assertExact(FakeQuantKernel.fakeQuantize(y, qp, s.qmin(), s.qmax(), s.rounding()).toFloatArray(), yv);
            float sc = qp.scale(0);
            int z = qp.zeroPoint(0);
            float[] levels = FakeQuantKernel.levels(y, qp, s.qmin(), s.qmax(), s.rounding()).toFloatArray();
            for (int k = 0; k < yv.length; k++) {
                // on the grid: an integer level in [qmin, qmax] that reproduces the value exactly
                assertThat(levels[k]).isBetween((float) s.qmin(), (float) s.qmax());
                assertThat((levels[k] - z) * sc).isEqualTo(yv[k]);
                // inside [qmin - z, qmax - z]·s
                assertThat(yv[k]).isBetween((s.qmin() - z) * sc, (s.qmax() - z) * sc);
            }
        }
    }

    @ParameterizedTest(name = "case {0}")
    @MethodSource("cases")
    void fakeQuantIsMonotone(int i, QScheme s, float[] xs, QParams qp) {
        float[] sorted = xs.clone();
        Arrays.sort(sorted);
        try (NDManager m = manager.newSubManager()) {
            float[] y = FakeQuantKernel.fakeQuantize(m.create(sorted), qp, s.qmin(), s.qmax(), s.rounding()).toFloatArray();
            for (int k = 1; k < y.length; k++) {
                assertThat(y[k]).isGreaterThanOrEqualTo(y[k - 1]);
            }
        }
    }

    @ParameterizedTest(name = "case {0}")
    @MethodSource("cases")
    void perChannelOnOneChannelEqualsPerTensor(int i, QScheme s, float[] xs, QParams qp) {
        try (NDManager m = manager.newSubManager()) {
            // 3 channels of 16; channel 1 uses qp, the others something else
            NDArray x = m.create(xs, new Shape(3, 16));
            QParams pc = new QParams(new float[] {qp.scale(0) * 2, qp.scale(0), qp.scale(0) / 3},
                    new int[] {s.qmin(), qp.zeroPoint(0), s.qmax()}, 0);
            float[] perChannel = FakeQuantKernel.fakeQuantize(x, pc, s.qmin(), s.qmax(), s.rounding())
                    .get(new NDIndex("1, :")).toFloatArray();
            float[] perTensor = FakeQuantKernel.fakeQuantize(x.get(new NDIndex("1, :")), qp, s.qmin(), s.qmax(), s.rounding())
                    .toFloatArray();
            Tensors.assertExact(perChannel, perTensor);
        }
    }

    @ParameterizedTest(name = "case {0}")
    @MethodSource("cases")
    void minMaxIgnoresBatchOrder(int i, QScheme s, float[] xs, QParams qp) {
        QScheme pc = s.perChannel(0);
        MinMaxObserver a = new MinMaxObserver(pc);
        MinMaxObserver b = new MinMaxObserver(pc);
        try (NDManager m = manager.newSubManager()) {
            NDArray x1 = m.create(Arrays.copyOfRange(xs, 0, 24), new Shape(3, 8));
            NDArray x2 = m.create(Arrays.copyOfRange(xs, 24, 48), new Shape(3, 8));
            a.observe(x1);
            a.observe(x2);
            b.observe(x2);
            b.observe(x1);
        }
        assertThat(a.qparams()).isEqualTo(b.qparams());
    }
}
