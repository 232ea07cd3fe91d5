package io.lac4j.quant;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.lac4j.engine.Engines;
import io.lac4j.testing.Golden;
import io.lac4j.testing.Tensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Upstream/EFRAP AdaRound: V init, h, soft/hard values, regulariser and ∂V vs torch. */
class AdaRoundQuantizerGoldenTest {
    private static final Golden GD = Golden.load("quant", "adaround");

    private static QParams qparams() {
        long[] z = GD.longs("zp");
        int[] zi = new int[z.length];
        for (int i = 0; i < z.length; i++) {
            zi[i] = (int) z[i];
        }
        return new QParams(GD.floats("scale"), zi, 0);
    }

    @ParameterizedTest
    @CsvSource({"upstream,-0.1,1.1", "efrap,0,1"})
    void matchesTorch(String name, double gamma, double zeta) {
        QScheme scheme = QScheme.asymmetric(4, Granularity.PER_CHANNEL);
        AdaRoundQuantizer q = new AdaRoundQuantizer(scheme, new MinMaxObserver(scheme), gamma, zeta);
        q.setQParams(qparams());
        try (NDManager m = Engines.newBaseManager()) {
            NDArray w = GD.array("w", m);
            try (NDManager unit = m.newSubManager()) {
                NDArray v = q.initLearning(unit, w);
                assertThat(v.getManager()).isSameAs(unit);
                Tensors.assertClose(v.toFloatArray(), GD.floats(name + "_v0"), 1e-5, 1e-5);
                Tensors.assertClose(q.rectifiedSigmoid(m).toFloatArray(), GD.floats(name + "_h0"), 1e-5, 1e-6);
                // at init the soft value reproduces the weight's grid position (h = frac)
                Tensors.assertClose(q.apply(w).toFloatArray(), GD.floats(name + "_soft0"), 1e-5, 1e-7);

                v.set(GD.floats(name + "_v"));
                NDArray g = GD.array(name + "_g", m);
                float[] out;
                try (ai.djl.training.GradientCollector gc = Engines.start().newGradientCollector()) {
                    NDArray soft = q.apply(w);
                    out = soft.toFloatArray();
                    NDArray loss = soft.mul(g).sum().add(q.regularizer(m, 2.0).mul(0.01f));
                    gc.backward(loss);
                }
                Tensors.assertClose(out, GD.floats(name + "_soft"), 1e-5, 1e-7);
                Tensors.assertClose(v.getGradient().toFloatArray(), GD.floats(name + "_grad"), 1e-4, 1e-6);
                Tensors.assertClose(q.rectifiedSigmoid(m).toFloatArray(), GD.floats(name + "_h"), 1e-6, 1e-7);
                Tensors.assertClose(q.hardValue(w).toFloatArray(), GD.floats(name + "_hard"), 1e-6, 0);
                Tensors.assertClose(new float[] {q.regularizer(m, 2.0).getFloat()}, GD.floats(name + "_reg2"), 1e-5, 0);
                Tensors.assertClose(new float[] {q.regularizer(m, 20.0).getFloat()}, GD.floats(name + "_reg20"), 1e-5, 0);
                q.endLearning();
            }
        }
    }

    @Test
    void temperatureDecayFollowsLinearTempDecay() {
        TemperatureDecay d = TemperatureDecay.ADAROUND;
        assertThat(d.beta(0)).isEqualTo(20.0);
        assertThat(d.beta(1999)).isEqualTo(20.0);
        assertThat(d.beta(2000)).isEqualTo(20.0);
        assertThat(d.beta(6000)).isEqualTo(11.0);
        assertThat(d.beta(10_000)).isEqualTo(2.0);
        assertThat(d.beta(12_000)).isEqualTo(2.0);
        assertThat(d.active(1999)).isFalse();
        assertThat(d.active(2000)).isTrue();
    }
}
