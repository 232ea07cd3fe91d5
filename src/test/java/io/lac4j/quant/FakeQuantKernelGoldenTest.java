package io.lac4j.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.lac4j.engine.Engines;
import io.lac4j.testing.Golden;
import io.lac4j.testing.Tensors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bit-exact forward and STE gradient vs torch.fake_quantize_per_{tensor,channel}_affine. */
class FakeQuantKernelGoldenTest {

    static QParams qparams(Golden gd, boolean perChannel, int axis) {
        float[] s = gd.floats("scale");
        long[] z = gd.longs("zp");
        int[] zi = new int[z.length];
        for (int i = 0; i < z.length; i++) {
            zi[i] = (int) z[i];
        }
        return new QParams(s, zi, perChannel ? axis : -1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"fq_t_2_asym", "fq_t_2_sym", "fq_t_4_asym", "fq_t_4_sym", "fq_t_8_asym", "fq_t_8_sym",
        "fq_c_2_asym", "fq_c_2_sym", "fq_c_4_asym", "fq_c_4_sym", "fq_c_8_asym", "fq_c_8_sym"})
    void forwardAndGradientAreExact(String name) {
        Golden gd = Golden.load("quant", name);
        QParams qp = qparams(gd, name.startsWith("fq_c"), 0);
        int qmin = (int) gd.longs("qmin")[0];
        int qmax = (int) gd.longs("qmax")[0];
        try (NDManager m = Engines.newBaseManager()) {
            NDArray x = gd.array("x", m);
            NDArray g = gd.array("g", m);
            float[] out = Grad.run(m, v -> FakeQuantKernel.fakeQuantize(v, qp, qmin, qmax, Rounding.HALF_EVEN), x, g);
            Tensors.assertExact(out, gd.floats("out"));
            Tensors.assertExact(x.getGradient().toFloatArray(), gd.floats("grad"));
            // without autograd the same values
            NDArray y = gd.array("x", m);
            Tensors.assertExact(FakeQuantKernel.fakeQuantize(y, qp, qmin, qmax, Rounding.HALF_EVEN).toFloatArray(),
                    gd.floats("out"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"fq_c_axis1"})
    void perChannelOnAxisOne(String name) {
        Golden gd = Golden.load("quant", name);
        QParams qp = qparams(gd, true, 1);
        try (NDManager m = Engines.newBaseManager()) {
            NDArray x = gd.array("x", m);
            Tensors.assertExact(FakeQuantKernel.fakeQuantize(x, qp, 0, 15, Rounding.HALF_EVEN).toFloatArray(),
                    gd.floats("out"));
        }
    }
}
