package io.lac4j.ptq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.lac4j.engine.Engines;
import io.lac4j.engine.Mt19937;
import io.lac4j.engine.Progress;
import io.lac4j.nn.Graph;
import io.lac4j.quant.QuantizedModel;
import io.lac4j.testing.Golden;
import java.util.List;
import org.junit.jupiter.api.Test;

/** QDrop (prob < 1): the unit's input mixes quantized and FP values element-wise, per iteration. */
class QDropReconstructionTest {
    private static final Golden G = Golden.load("ptq", "reconstruction_steps");

    private static ReconstructionConfig prob(double p) {
        ReconstructionConfig r = ReconstructionConfig.REFERENCE;
        return new ReconstructionConfig(r.pattern(), 4, r.scaleLr(), r.warmUp(), r.weight(), r.bRange(), r.roundMode(), p,
                r.weightLr(), false);
    }

    private static float[] losses(double p, boolean swap, long seed) {
        try (NDManager m = Engines.newBaseManager(); Graph fp = TinyUnit.fp(G, m);
             QuantizedModel qm = TinyUnit.quantized(G, fp, m); NDManager unitScope = m.newSubManager()) {
            Engines.seed(seed);
            ReconstructionUnit unit = UnitExtractor.layers(qm).get(0);
            NDArray xq = G.array("input", m).mul(8f).round().div(8f);     // stands in for the quantized input
            NDArray xf = G.array("input", m);
            List<NDArray> in = List.of(swap ? xf : xq);
            return UnitReconstruction.optimize(qm, unit, in, List.of(xf), List.of(G.array("target", m)), prob(p),
                    new Mt19937(1005), unitScope, Progress.NONE);
        }
    }

    @Test
    void nearlyZeroProbabilityFeedsTheFpInput() {
        assertThat(losses(1e-12, false, 7)).containsExactly(losses(1.0, true, 7));
    }

    @Test
    void mixingIsSeededAndChangesTheLosses() {
        float[] a = losses(0.5, false, 7);
        assertThat(losses(0.5, false, 7)).containsExactly(a);
        assertThat(a).isNotEqualTo(losses(1.0, false, 7));
        assertThat(a).isNotEqualTo(losses(1.0, true, 7));
    }

    @Test
    void qdropNeedsFpInputs() {
        try (NDManager m = Engines.newBaseManager(); Graph fp = TinyUnit.fp(G, m);
             QuantizedModel qm = TinyUnit.quantized(G, fp, m); NDManager unitScope = m.newSubManager()) {
            ReconstructionUnit unit = UnitExtractor.layers(qm).get(0);
            assertThatThrownBy(() -> UnitReconstruction.optimize(qm, unit, List.of(G.array("input", m)),
                    List.of(G.array("target", m)), prob(0.5), new Mt19937(1005), unitScope, Progress.NONE))
                    .hasMessageContaining("QDrop");
        }
    }
}
