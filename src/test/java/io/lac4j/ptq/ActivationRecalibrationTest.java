package io.lac4j.ptq;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.lac4j.engine.Engines;
import io.lac4j.nn.Graph;
import io.lac4j.quant.FakeQuantizer;
import io.lac4j.quant.QParams;
import io.lac4j.quant.QuantizedModel;
import io.lac4j.testing.Golden;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** act_recalibrate: the unit's activation ranges come from the given inputs, observed as calibration does. */
class ActivationRecalibrationTest {
    private static final Golden G = Golden.load("ptq", "reconstruction_steps");

    @Test
    void rangesFollowTheGivenInputsAndMatchAFreshCalibrationOfTheUnit() {
        try (NDManager m = Engines.newBaseManager(); Graph fp = TinyUnit.fp(G, m); QuantizedModel qm = TinyUnit.quantized(G, fp, m)) {
            ReconstructionUnit unit = UnitExtractor.layers(qm).get(0);
            FakeQuantizer act = qm.activationQuantizers().get("relu_post_act_fake_quantizer");
            QParams calibrated = act.qparams();
            NDArray x = G.array("input", m).mul(3f);
            NDArray x2 = G.array("input", m).mul(-1.5f).add(1f);

            List<String> names = ActivationRecalibration.run(qm, unit, List.of(x, x2), m);
            assertThat(names).containsExactly("relu_post_act_fake_quantizer");
            QParams recalibrated = act.qparams();
            assertThat(recalibrated).isNotEqualTo(calibrated);
            assertThat(act.quantizing()).isTrue();
            assertThat(act.observing()).isFalse();
            assertThat(qm.weightQuantizers().get("conv").quantizing()).isTrue();

            // expected: a fresh observer of the same kind over the FP ReLU outputs of both batches
            FakeQuantizer probe = qm.config().newActivationQuantizer(4);
            probe.setState(true, false);
            for (NDArray in : List.of(x, x2)) {
                Map<String, NDArray> env = new HashMap<>();
                env.put(Graph.INPUT, in);
                fp.run(env, List.of(fp.node("conv"), fp.node("bn"), fp.node("relu")));
                probe.apply(env.get("relu"));
            }
            assertThat(recalibrated).isEqualTo(probe.qparams());
        }
    }
}
