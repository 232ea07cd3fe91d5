package io.lac4j.quant;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.lac4j.engine.Engines;
import io.lac4j.testing.Golden;
import io.lac4j.testing.Tensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** LSQ/LSQ+ vs torch._fake_quantize_learnable_per_tensor_affine (forward exact, gradients 1e-5). */
class LearnableActQuantizerGoldenTest {
    private static final Golden GD = Golden.load("quant", "lsq");

    @ParameterizedTest
    @CsvSource({"u4,one", "u4,scaled", "u4tie,one", "u4tie,scaled", "u8,one", "u8,scaled", "s4,one", "s4,scaled"})
    void matchesTorch(String name, String gf) {
        String key = name + "_" + gf;
        float[] p = GD.floats(key + "_params");
        int qmin = (int) p[0];
        int qmax = (int) p[1];
        boolean sym = qmin < 0;
        QScheme scheme = sym ? QScheme.symmetric(4, Granularity.PER_TENSOR)
                : QScheme.asymmetric(qmax == 15 ? 4 : 8, Granularity.PER_TENSOR);
        assertThat(scheme.qmin()).isEqualTo(qmin);
        assertThat(scheme.qmax()).isEqualTo(qmax);
        LearnableActQuantizer q = new LearnableActQuantizer(scheme, Observer.create(Observer.Kind.MIN_MAX, scheme),
                true, gf.equals("scaled"));
        try (NDManager m = Engines.newBaseManager()) {
            q.initLearning(m);
            q.scaleArray().set(new float[] {p[2]});
            q.zeroPointArray().set(new float[] {p[3]});
            NDArray x = GD.array("x", m);
            assertThat(q.gradFactor(x.size())).isCloseTo(p[4], org.assertj.core.data.Offset.offset(1e-7));
            float[] out = Grad.run(m, q::apply, x, GD.array(key + "_g", m));
            Tensors.assertExact(out, GD.floats(key + "_out"));
            Tensors.assertExact(x.getGradient().toFloatArray(), GD.floats(key + "_gx"));
            Tensors.assertClose(q.scaleArray().getGradient().toFloatArray(), GD.floats(key + "_gs"), 1e-5, 1e-6);
            if (!sym) {
                Tensors.assertClose(q.zeroPointArray().getGradient().toFloatArray(), GD.floats(key + "_gz"), 1e-5, 1e-6);
            }
        }
    }

    @Test
    void atInitForwardEqualsFixedFakeQuantize() {
        QScheme scheme = QScheme.asymmetric(4, Granularity.PER_TENSOR);
        try (NDManager m = Engines.newBaseManager()) {
            NDArray x = GD.array("x", m);
            LearnableActQuantizer lq = new LearnableActQuantizer(scheme, new EmaMseObserver(scheme), true, true);
            FixedFakeQuantizer fq = new FixedFakeQuantizer(QuantizerRole.ACTIVATION, scheme, new EmaMseObserver(scheme));
            for (FakeQuantizer q : new FakeQuantizer[] {lq, fq}) {
                q.setState(true, false);
                q.apply(x);
                q.setState(false, true);
            }
            assertThat(lq.qparams()).isEqualTo(fq.qparams());
            float[] before = lq.apply(x).toFloatArray();
            lq.initLearning(m);
            Tensors.assertExact(lq.apply(x).toFloatArray(), fq.apply(x).toFloatArray());
            Tensors.assertExact(before, fq.apply(x).toFloatArray());
        }
    }

    @Test
    void observingRefreshesTheLearnableArraysAndEndLearningFreezesThem() {
        QScheme scheme = QScheme.asymmetric(4, Granularity.PER_TENSOR);
        try (NDManager m = Engines.newBaseManager()) {
            LearnableActQuantizer q = new LearnableActQuantizer(scheme, new MinMaxObserver(scheme), true, false);
            q.initLearning(m);
            assertThat(q.trainables()).hasSize(2);
            q.setState(true, true);
            q.apply(m.create(new float[] {-1f, 2f}));
            assertThat(q.scaleArray().getFloat()).isEqualTo(q.qparams().scale(0)).isEqualTo(0.2f);
            assertThat(q.zeroPointArray().getFloat()).isEqualTo(5f);
            q.scaleArray().set(new float[] {-0.3f}); // MQBench: abs() and clamp when not observing
            q.zeroPointArray().set(new float[] {6.6f});
            q.setState(false, true);
            q.apply(m.create(new float[] {0.5f}));
            assertThat(q.scaleArray().getFloat()).isEqualTo(0.3f);
            q.endLearning();
            assertThat(q.qparams()).isEqualTo(QParams.perTensor(0.3f, 7));
            assertThat(q.trainables()).isEmpty();
        }
    }

    @Test
    void qdropMixesWithSuppliedUniform() {
        QScheme scheme = QScheme.asymmetric(4, Granularity.PER_TENSOR);
        try (NDManager m = Engines.newBaseManager()) {
            LearnableActQuantizer q = new LearnableActQuantizer(scheme, new MinMaxObserver(scheme), false, false);
            q.setQParams(QParams.perTensor(0.1f, 0));
            q.setState(false, true);
            q.setDropProbability(0.5);
            NDArray x = m.create(new float[] {0.12f, 0.26f, 0.33f, 0.47f}, new Shape(4));
            NDArray u = m.create(new float[] {0.1f, 0.9f, 0.49f, 0.5f}, new Shape(4));
            float[] xq = FakeQuantKernel.fakeQuantize(x, q.qparams(), 0, 15, Rounding.HALF_EVEN).toFloatArray();
            float[] mixed = q.applyWithDrop(x, u).toFloatArray();
            assertThat(mixed).containsExactly(xq[0], 0.26f, xq[2], 0.47f);
            // with p = 1 (default) applyWithDrop equals plain quantization
            q.setDropProbability(1.0);
            Tensors.assertExact(q.applyWithDrop(x, u).toFloatArray(), xq);
        }
    }
}
