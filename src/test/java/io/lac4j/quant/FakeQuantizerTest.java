package io.lac4j.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.lac4j.engine.Engines;
import io.lac4j.testing.Tensors;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** State flags, role-based toggles, and native-memory ownership. */
class FakeQuantizerTest {
    private static final QScheme A4 = QScheme.asymmetric(4, Granularity.PER_TENSOR);
    private static final QScheme W4 = QScheme.asymmetric(4, Granularity.PER_CHANNEL);

    @Test
    void applyObservesFirstThenQuantizes() {
        try (NDManager m = Engines.newBaseManager()) {
            NDArray x = m.create(new float[] {0f, 0.3f, 1.1f, 1.5f}, new Shape(1, 4));
            FixedFakeQuantizer q = new FixedFakeQuantizer(QuantizerRole.ACTIVATION, A4, Observer.Kind.MIN_MAX);
            assertThat(q.apply(x)).as("both off: the same object").isSameAs(x);
            q.setState(true, false);
            assertThat(q.apply(x)).isSameAs(x);
            assertThat(q.qparams()).isEqualTo(QParams.fromRange(0f, 1.5f, A4));
            q.setState(true, true); // observes the new tensor before quantizing it
            NDArray x2 = m.create(new float[] {0f, 3f}, new Shape(1, 2));
            float[] y = q.apply(x2).toFloatArray();
            assertThat(q.qparams()).isEqualTo(QParams.fromRange(0f, 3f, A4));
            assertThat(y).containsExactly(0f, 3f);
            q.setState(false, true);
            Tensors.assertExact(q.apply(x).toFloatArray(),
                    FakeQuantKernel.fakeQuantize(x, q.qparams(), 0, 15, Rounding.HALF_EVEN).toFloatArray());
            Tensors.assertExact(q.hardValue(x).toFloatArray(), q.apply(x).toFloatArray());
        }
    }

    @Test
    void offSchemeIsIdentity() {
        try (NDManager m = Engines.newBaseManager()) {
            NDArray x = m.create(new float[] {0.123f});
            FakeQuantizer q = QuantPreset.ACADEMIC_W4.config().newActivationQuantizer();
            q.setState(true, true);
            assertThat(q.apply(x)).isSameAs(x);
        }
    }

    @Test
    void statesSelectByRole() {
        QuantConfig cfg = QuantPreset.ACADEMIC_W4A4.config();
        FakeQuantizer w = cfg.newWeightQuantizer();
        FakeQuantizer a = cfg.newActivationQuantizer();
        List<FakeQuantizer> all = List.of(w, a);
        QuantStates.calibrate(all, EnumSet.of(QuantizerRole.ACTIVATION));
        assertThat(a.observing()).isTrue();
        assertThat(a.quantizing()).isFalse();
        assertThat(w.observing()).isFalse();
        assertThat(w.quantizing()).isFalse();
        QuantStates.calibrate(all, EnumSet.of(QuantizerRole.WEIGHT));
        assertThat(w.observing()).isTrue();
        assertThat(a.observing()).isFalse();
        QuantStates.quantize(all);
        assertThat(all).allMatch(q -> q.quantizing() && !q.observing());
        QuantStates.disableAll(all);
        assertThat(all).allMatch(q -> !q.quantizing() && !q.observing());
    }

    @Test
    void setQParamsChecksGranularity() {
        FixedFakeQuantizer q = new FixedFakeQuantizer(QuantizerRole.WEIGHT, W4, Observer.Kind.MSE);
        assertThatThrownBy(() -> q.setQParams(QParams.perTensor(0.1f, 0))).isInstanceOf(IllegalArgumentException.class);
        q.setQParams(new QParams(new float[] {0.1f, 0.2f}, new int[] {1, 2}, 0));
        assertThat(q.qparams().channels()).isEqualTo(2);
    }

    @Test
    void resultsStayOutOfTheWeightsManager() {
        try (NDManager run = Engines.newBaseManager();
                NDManager model = run.newSubManager()) {
            NDArray w = model.create(new float[] {0.1f, -0.2f, 0.3f, 0.05f, -0.4f, 0.25f}, new Shape(2, 3));
            LearnedOffsetQuantizer q = new LearnedOffsetQuantizer(W4, Observer.Kind.MSE);
            try (NDManager calib = run.newSubManager()) {
                calib.tempAttachAll(w);
                q.setState(true, false);
                q.apply(w);
            }
            model.cap(); // any array landing in the model's manager now throws
            try (NDManager unit = run.newSubManager()) {
                NDArray alpha = q.initLearning(unit, w.getShape());
                for (int it = 0; it < 3; it++) {
                    try (NDManager step = unit.newSubManager()) {
                        step.tempAttachAll(w);
                        Grad.run(step, q::apply, w, step.ones(w.getShape()));
                        assertThat(alpha.getGradient().toFloatArray()).hasSize(6);
                    }
                }
                try (NDManager step = unit.newSubManager()) {
                    step.tempAttachAll(w);
                    NDArray hard = step.ret(q.hardValue(w));
                    assertThat(hard.getManager()).isSameAs(unit);
                }
                assertThat(alpha.getManager()).isSameAs(unit);
                q.endLearning();
            }
            assertThat(w.getManager()).isSameAs(model);
        }
    }

    @Test
    void observerDoesNotChangeItsInput() {
        try (NDManager m = Engines.newBaseManager()) {
            float[] v = {-1f, 0.5f, 2f, 3.3f};
            NDArray x = m.create(v, new Shape(2, 2));
            for (Observer.Kind k : Observer.Kind.values()) {
                Observer ob = Observer.create(k, W4);
                ob.observe(x);
                assertThat(ob.observed()).isTrue();
                ob.reset();
                assertThat(ob.observed()).isFalse();
            }
            assertThat(x.toFloatArray()).containsExactly(v);
        }
    }

    @Test
    void emaRatioZeroTracksTheCurrentTensor() {
        // CompArtifact (ATTACKS.md §2.2): int8 symmetric per-tensor weights ranged from the current tensor
        QScheme int8 = QScheme.symmetric(8, Granularity.PER_TENSOR);
        FixedFakeQuantizer q = new FixedFakeQuantizer(QuantizerRole.WEIGHT, int8, new EmaMinMaxObserver(int8, 0.0));
        q.setState(true, true);
        try (NDManager m = Engines.newBaseManager()) {
            q.apply(m.create(new float[] {-2f, 1f}));
            q.apply(m.create(new float[] {-0.5f, 0.25f}));
            assertThat(q.qparams()).isEqualTo(QParams.perTensor(0.5f / 127.5f, 0));
        }
    }
}
