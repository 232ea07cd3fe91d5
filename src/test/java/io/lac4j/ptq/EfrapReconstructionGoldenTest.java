package io.lac4j.ptq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.lac4j.Lac4jException;
import io.lac4j.engine.Engines;
import io.lac4j.engine.Mt19937;
import io.lac4j.engine.Progress;
import io.lac4j.nn.Graph;
import io.lac4j.quant.AdaRoundQuantizer;
import io.lac4j.quant.Observer;
import io.lac4j.quant.QuantConfig;
import io.lac4j.quant.QuantPreset;
import io.lac4j.quant.QuantizedModel;
import io.lac4j.quant.QuantizerKind;
import io.lac4j.testing.Golden;
import io.lac4j.testing.Tensors;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * EFRAP on the fixture unit equals tools/fixtures/gen_ptq.py's PyTorch version ({@code
 * efrap_steps}): ω and r̄, the three loss terms, ∂loss/∂V after one Adam step, V after three
 * steps and the hardened weight.
 */
class EfrapReconstructionGoldenTest {
    private static final QuantConfig EFRAP_W4A4 = QuantPreset.ACADEMIC_W4A4.config()
            .withKinds(Observer.Kind.MSE, Observer.Kind.EMA_MSE, QuantizerKind.EFRAP_ADAROUND, QuantizerKind.FIXED);

    private static Golden golden(FlipWeighting w) {
        return Golden.load("ptq", "efrap_steps_" + w.configName());
    }

    private static void close(double actual, Golden g, String name) {
        assertThat(actual).as(name).isCloseTo(g.scalar(name), offset(1e-5 * Math.max(1, Math.abs(g.scalar(name)))));
    }

    @ParameterizedTest
    @EnumSource(FlipWeighting.class)
    void weightsTargetsAndTermsAtStartMatch(FlipWeighting weighting) {
        Golden g = golden(weighting);
        try (NDManager m = Engines.newBaseManager(); Graph fp = TinyUnit.fp(g, m);
             QuantizedModel qm = TinyUnit.quantized(g, fp, m, EFRAP_W4A4); NDManager unitScope = m.newSubManager()) {
            ReconstructionUnit unit = UnitExtractor.layers(qm).get(0);
            EfrapRounding.Unit r = new EfrapRounding(EfrapConfig.EFRAP.withWeighting(weighting)).begin(qm, unit, unitScope);
            Tensors.assertClose(r.flipWeights().get(0).toFloatArray(), g.floats("omega"), 1e-5, 1e-7);
            Tensors.assertExact(r.flipTargets().get(0).toFloatArray(), g.floats("flip"));
            Tensors.assertClose(r.trainables().get(0).toFloatArray(), g.floats("v_0"), 1e-5, 1e-5);
            try (NDManager step = unitScope.newSubManager()) {
                close(r.flipLoss(step).getFloat(), g, "lf_0");
                close(r.roundingLoss(step, 2.0).getFloat(), g, "lp_0");
                NDArray la = loss(qm, unit, g, step, null, 0);
                close(la.getFloat(), g, "la_0");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(FlipWeighting.class)
    void threeStepsGiveTheSameLossesRoundingAndHardWeights(FlipWeighting weighting) {
        Golden g = golden(weighting);
        try (NDManager m = Engines.newBaseManager(); Graph fp = TinyUnit.fp(g, m);
             QuantizedModel qm = TinyUnit.quantized(g, fp, m, EFRAP_W4A4); NDManager unitScope = m.newSubManager()) {
            ReconstructionUnit unit = UnitExtractor.layers(qm).get(0);
            UnitRounding r = new EfrapRounding(EfrapConfig.EFRAP.withWeighting(weighting)).begin(qm, unit, unitScope);
            float[] losses = UnitReconstruction.optimize(qm, unit, List.of(g.array("input", m)), null,
                    List.of(g.array("target", m)), ReconstructionConfig.REFERENCE.withMaxCount(3), new Mt19937(1005),
                    unitScope, Progress.NONE, r);
            for (int i = 0; i < 3; i++) {
                close(losses[i], g, "loss_" + i);
            }
            Tensors.assertClose(r.trainables().get(0).toFloatArray(), g.floats("v_3"), 1e-5, 1e-5);
            UnitReconstruction.harden(qm, unit, r);
            assertThat(((AdaRoundQuantizer) qm.weightQuantizers().get("conv")).learning()).isFalse();
            Tensors.assertClose(qm.graph().tensor("conv.weight").toFloatArray(), g.floats("hard_weight"), 1e-6, 1e-7);
        }
    }

    @Test
    void gradientAfterOneAdamStepMatches() {
        Golden g = golden(FlipWeighting.ELEMENT);
        try (NDManager m = Engines.newBaseManager(); Graph fp = TinyUnit.fp(g, m);
             QuantizedModel qm = TinyUnit.quantized(g, fp, m, EFRAP_W4A4); NDManager unitScope = m.newSubManager()) {
            ReconstructionUnit unit = UnitExtractor.layers(qm).get(0);
            EfrapRounding.Unit r = new EfrapRounding(EfrapConfig.EFRAP).begin(qm, unit, unitScope);
            UnitReconstruction.optimize(qm, unit, List.of(g.array("input", m)), null, List.of(g.array("target", m)),
                    ReconstructionConfig.REFERENCE.withMaxCount(1), new Mt19937(1005), unitScope, Progress.NONE, r);
            NDArray v = r.trainables().get(0);
            Tensors.assertClose(v.toFloatArray(), g.floats("v_1"), 1e-5, 1e-5);
            try (NDManager step = unitScope.newSubManager()) {
                NDArray loss;
                try (GradientCollector gc = Engines.start().newGradientCollector()) {
                    loss = loss(qm, unit, g, step, r, 1);
                    gc.backward(loss);
                }
                close(loss.getFloat(), g, "loss_1");
                Tensors.assertClose(v.getGradient().toFloatArray(), g.floats("grad_v_1"), 1e-4, 1e-6);
            }
        }
    }

    @Test
    void lacQuantizerIsRefusedWithTheKeyToChange() {
        Golden g = golden(FlipWeighting.ELEMENT);
        try (NDManager m = Engines.newBaseManager(); Graph fp = TinyUnit.fp(g, m);
             QuantizedModel qm = TinyUnit.quantized(g, fp, m); NDManager unitScope = m.newSubManager()) {
            ReconstructionUnit unit = UnitExtractor.layers(qm).get(0);
            assertThatThrownBy(() -> new EfrapRounding(EfrapConfig.EFRAP).begin(qm, unit, unitScope))
                    .isInstanceOf(Lac4jException.class).hasMessageContaining("EfrapAdaRoundFakeQuantize");
        }
    }

    @Test
    void badWeightsAreRefused() {
        assertThatThrownBy(() -> new EfrapConfig(-1, 0.01, 2, null, FlipWeighting.ELEMENT))
                .hasMessageContaining("lambda_flip: expected >= 0, got -1.0");
    }

    /** L_A (+ the rounding's penalty) of the fixture batch with the current V, in {@code step}. */
    private static NDArray loss(QuantizedModel qm, ReconstructionUnit unit, Golden g, NDManager step, UnitRounding r, int it) {
        Map<String, NDArray> env = new HashMap<>();
        env.put(unit.input(), g.array("input", step));
        qm.graph().run(env, unit.nodes().stream().map(qm.graph()::node).toList());
        NDArray loss = UnitReconstruction.lpLoss(env.get(unit.output()), g.array("target", step));
        return r == null ? loss : loss.add(r.penalty(step, it));
    }
}
