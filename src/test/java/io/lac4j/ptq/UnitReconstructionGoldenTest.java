package io.lac4j.ptq;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.lac4j.engine.Engines;
import io.lac4j.engine.Mt19937;
import io.lac4j.engine.Progress;
import io.lac4j.nn.Graph;
import io.lac4j.quant.LearnedOffsetQuantizer;
import io.lac4j.quant.QuantizedModel;
import io.lac4j.testing.Golden;
import io.lac4j.testing.Tensors;
import java.util.List;
import org.junit.jupiter.api.Test;

/** LAC reconstruction steps equal the PyTorch port's (tools/fixtures/gen_ptq.py) within 1e-5. */
class UnitReconstructionGoldenTest {
    private static final Golden G = Golden.load("ptq", "reconstruction_steps");

    private float[] run(int steps, boolean harden, float[] lossesOut) {
        try (NDManager m = Engines.newBaseManager(); Graph fp = TinyUnit.fp(G, m);
             QuantizedModel qm = TinyUnit.quantized(G, fp, m); NDManager unitScope = m.newSubManager()) {
            ReconstructionUnit unit = UnitExtractor.layers(qm).get(0);
            assertThat(unit.nodes()).containsExactly("conv", "bn", "relu", "relu_post_act_fake_quantizer");
            assertThat(unit.input()).isEqualTo("x_post_act_fake_quantizer");
            assertThat(unit.fpTarget()).isEqualTo("relu");
            NDArray x = G.array("input", m);
            NDArray y = G.array("target", m);
            ReconstructionConfig cfg = ReconstructionConfig.REFERENCE.withMaxCount(steps);
            float[] losses = UnitReconstruction.optimize(qm, unit, List.of(x), List.of(y), cfg, new Mt19937(1005),
                    unitScope, Progress.NONE);
            System.arraycopy(losses, 0, lossesOut, 0, losses.length);
            LearnedOffsetQuantizer q = (LearnedOffsetQuantizer) qm.weightQuantizers().get("conv");
            if (harden) {
                UnitReconstruction.harden(qm, unit);
                assertThat(q.learning()).isFalse();
                return qm.graph().tensor("conv.weight").toFloatArray();
            }
            return q.alpha().toFloatArray();
        }
    }

    @Test
    void oneStepGivesTheSameLossAndOffsets() {
        float[] losses = new float[1];
        float[] alpha = run(1, false, losses);
        assertThat((double) losses[0]).isCloseTo(G.scalar("loss_0"), org.assertj.core.data.Offset.offset(1e-5));
        Tensors.assertClose(alpha, G.floats("alpha_1"), 1e-5, 1e-7);
    }

    @Test
    void threeStepsThenHardeningMatch() {
        float[] losses = new float[3];
        float[] hardWeight = run(3, true, losses);
        for (int i = 0; i < 3; i++) {
            assertThat((double) losses[i]).as("loss %d", i).isCloseTo(G.scalar("loss_" + i), org.assertj.core.data.Offset.offset(1e-5));
        }
        Tensors.assertClose(hardWeight, G.floats("hard_weight"), 1e-6, 1e-7);
    }

    @Test
    void offsetsAfterThreeStepsMatch() {
        float[] alpha = run(3, false, new float[3]);
        Tensors.assertClose(alpha, G.floats("alpha_3"), 1e-5, 1e-7);
    }
}
