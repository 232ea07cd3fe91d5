package io.lac4j.quant;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.lac4j.engine.Engines;
import io.lac4j.testing.Golden;
import io.lac4j.testing.Tensors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Qu-ANTI-zation's per-layer quantizers vs a torch re-implementation of utils/quantizer.py. */
class QuAntiZationQuantizerGoldenTest {
    private static final Golden GD = Golden.load("quant", "quanti");

    @ParameterizedTest
    @ValueSource(ints = {8, 4})
    void weightsSymmetricPerLayer(int bits) {
        QuAntiZationQuantizer q = new QuAntiZationQuantizer(QuantizerRole.WEIGHT, bits);
        assertThat(q.scheme().rounding()).isEqualTo(Rounding.HALF_UP);
        try (NDManager m = Engines.newBaseManager()) {
            NDArray w = GD.array("w", m);
            float[] out = Grad.run(m, q::apply, w, GD.array("w" + bits + "_g", m));
            assertThat(q.lastMultiplier()).isEqualTo(GD.floats("w" + bits + "_S")[0]);
            Tensors.assertExact(out, GD.floats("w" + bits + "_out"));
            Tensors.assertExact(w.getGradient().toFloatArray(), GD.floats("w" + bits + "_grad"));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 4})
    void activationsAsymmetricFromCurrentTensor(int bits) {
        QuAntiZationQuantizer q = new QuAntiZationQuantizer(QuantizerRole.ACTIVATION, bits);
        try (NDManager m = Engines.newBaseManager()) {
            NDArray a = GD.array("a", m);
            float[] out = Grad.run(m, q::apply, a, GD.array("a" + bits + "_g", m));
            assertThat(q.lastMultiplier()).isEqualTo(GD.floats("a" + bits + "_S")[0]);
            assertThat(q.lastZeroPoint()).isEqualTo(GD.floats("a" + bits + "_z")[0]);
            Tensors.assertExact(out, GD.floats("a" + bits + "_out"));
            Tensors.assertExact(a.getGradient().toFloatArray(), GD.floats("a" + bits + "_grad"));
        }
    }
}
