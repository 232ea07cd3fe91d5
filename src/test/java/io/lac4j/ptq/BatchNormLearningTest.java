package io.lac4j.ptq;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import io.lac4j.engine.Engines;
import io.lac4j.engine.Mt19937;
import io.lac4j.engine.Progress;
import io.lac4j.nn.Graph;
import io.lac4j.quant.QuantizedModel;
import io.lac4j.testing.Golden;
import java.util.List;
import org.junit.jupiter.api.Test;

/** bn_lr > 0: the unit's BN γ/β learn with the rounding offsets and end as plain graph tensors. */
class BatchNormLearningTest {
    private static final Golden G = Golden.load("ptq", "reconstruction_steps");

    private static ReconstructionConfig cfg(double bnLr) {
        ReconstructionConfig r = ReconstructionConfig.REFERENCE;
        return new ReconstructionConfig(r.pattern(), 60, r.scaleLr(), r.warmUp(), r.weight(), r.bRange(), r.roundMode(),
                r.prob(), r.weightLr(), false, false, bnLr, false);
    }

    private static float[][] run(double bnLr) {
        try (NDManager m = Engines.newBaseManager(); Graph fp = TinyUnit.fp(G, m);
             QuantizedModel qm = TinyUnit.quantized(G, fp, m)) {
            ReconstructionUnit unit = UnitExtractor.layers(qm).get(0);
            float[] losses;
            try (NDManager unitScope = m.newSubManager()) {
                losses = UnitReconstruction.optimize(qm, unit, List.of(G.array("input", m)), List.of(G.array("target", m)),
                        cfg(bnLr), new Mt19937(1005), unitScope, Progress.NONE);
                UnitReconstruction.harden(qm, unit);
            }
            // the unit scope is closed: the graph must still own usable, gradient-free BN tensors
            float[] gamma = qm.graph().tensor("bn.weight").toFloatArray();
            float[] beta = qm.graph().tensor("bn.bias").toFloatArray();
            assertThat(qm.graph().tensor("bn.bias").hasGradient()).isFalse();
            assertThat(fp.tensor("bn.weight").toFloatArray()).containsExactly(G.floats("bn.weight"));
            return new float[][] {gamma, beta, {losses[losses.length - 1]}};
        }
    }

    @Test
    void affineParametersMoveOnlyWhenAsked() {
        float[][] fixed = run(0);
        float[][] learned = run(1e-2);
        assertThat(fixed[0]).containsExactly(G.floats("bn.weight"));
        assertThat(fixed[1]).containsExactly(G.floats("bn.bias"));
        assertThat(learned[0]).isNotEqualTo(G.floats("bn.weight"));
        assertThat(learned[1]).isNotEqualTo(G.floats("bn.bias"));
        assertThat(learned[2][0]).as("final loss with BN learning").isLessThan(fixed[2][0]);
    }
}
