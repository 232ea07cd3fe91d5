package io.lac4j.quant;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import io.lac4j.engine.Engines;
import io.lac4j.testing.Golden;
import io.lac4j.testing.Tensors;
import org.junit.jupiter.api.Test;

/** PQBackdoor's simulated fbgemm/qnnpack levels vs a torch re-implementation of its utils.py. */
class PqBackdoorQuantizerGoldenTest {
    private static final Golden GD = Golden.load("quant", "pqbackdoor");

    @Test
    void inputLevelsAndScale() {
        PqBackdoorQuantizer q = new PqBackdoorQuantizer(Granularity.PER_CHANNEL);
        try (NDManager m = Engines.newBaseManager()) {
            Tensors.assertExact(q.inputLevels(GD.array("x", m)).toFloatArray(), GD.floats("x_levels"));
            assertThat(q.lastInputScale()).isEqualTo(GD.floats("x_scale")[0]);
        }
    }

    @Test
    void weightLevelsPerTensorAndPerChannel() {
        try (NDManager m = Engines.newBaseManager()) {
            PqBackdoorQuantizer qnnpack = new PqBackdoorQuantizer(Granularity.PER_TENSOR);
            Tensors.assertExact(qnnpack.weightLevels(GD.array("w", m)).toFloatArray(), GD.floats("w_t_levels"));
            Tensors.assertExact(qnnpack.lastWeightScales(), GD.floats("w_t_scale"));
            PqBackdoorQuantizer fbgemm = new PqBackdoorQuantizer(Granularity.PER_CHANNEL);
            Tensors.assertExact(fbgemm.weightLevels(GD.array("w", m)).toFloatArray(), GD.floats("w_c_levels"));
            Tensors.assertExact(fbgemm.lastWeightScales(), GD.floats("w_c_scale"));
            Tensors.assertExact(fbgemm.weightLevels(GD.array("lin", m)).toFloatArray(), GD.floats("lin_c_levels"));
            Tensors.assertExact(fbgemm.lastWeightScales(), GD.floats("lin_c_scale"));
            float[] deq = fbgemm.dequantizedWeight(GD.array("lin", m)).toFloatArray();
            float[] lv = GD.floats("lin_c_levels");
            float[] sc = GD.floats("lin_c_scale");
            for (int i = 0; i < deq.length; i++) {
                assertThat(deq[i]).isEqualTo(lv[i] * sc[i / 12]);
            }
        }
    }

    @Test
    void fourBitWeightsUseTheSevenAndAHalfDivisor() {
        try (NDManager m = Engines.newBaseManager()) {
            PqBackdoorQuantizer q8 = new PqBackdoorQuantizer(Granularity.PER_TENSOR);
            PqBackdoorQuantizer q4 = new PqBackdoorQuantizer(Granularity.PER_TENSOR, 4);
            float[] l4 = q4.weightLevels(GD.array("w", m)).toFloatArray();
            q8.weightLevels(GD.array("w", m));
            assertThat(q4.lastWeightScales()[0]).isEqualTo(q8.lastWeightScales()[0] * 127.5f / 7.5f, org.assertj.core.data.Offset.offset(1e-6f));
            float[] w = GD.array("w", m).toFloatArray();
            for (int i = 0; i < w.length; i++) {
                assertThat(l4[i]).isEqualTo((float) Math.rint(w[i] / q4.lastWeightScales()[0]));
                assertThat(Math.abs(l4[i])).isLessThanOrEqualTo(8f);
            }
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new PqBackdoorQuantizer(Granularity.PER_TENSOR, 9))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[2, 8]");
    }
}
