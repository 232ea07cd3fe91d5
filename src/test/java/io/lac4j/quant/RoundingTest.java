package io.lac4j.quant;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.lac4j.engine.Engines;
import org.junit.jupiter.api.Test;

/** Half-even vs half-up differ exactly at .5 ties (LAC.md Q6). */
class RoundingTest {
    @Test
    void modesDifferOnlyAtTies() {
        float[] v = {-2.5f, -1.5f, -0.5f, 0.5f, 1.5f, 2.5f, 0.49999997f, 1.2f, -1.7f};
        float[] even = {-2f, -2f, -0f, 0f, 2f, 2f, 0f, 1f, -2f};
        // floor(v + 0.5) in float32, as the references compute it: 0.49999997 + 0.5 rounds to 1.0
        float[] up = {-2f, -1f, 0f, 1f, 2f, 3f, 1f, 1f, -2f};
        try (NDManager m = Engines.newBaseManager()) {
            NDArray x = m.create(v);
            assertThat(Rounding.HALF_EVEN.round(x).toFloatArray()).containsExactly(even);
            assertThat(Rounding.HALF_UP.round(x).toFloatArray()).containsExactly(up);
        }
        for (int i = 0; i < v.length; i++) {
            assertThat(Rounding.HALF_EVEN.round(v[i])).isEqualTo(even[i]);
            assertThat(Rounding.HALF_UP.round(v[i])).isEqualTo(up[i]);
        }
    }

    @Test
    void fakeQuantizeWithHalfUpOnTies() {
        try (NDManager m = Engines.newBaseManager()) {
            NDArray x = m.create(new float[] {0.25f, 0.75f, -0.25f}); // x / 0.5 = 0.5, 1.5, -0.5
            QParams qp = QParams.perTensor(0.5f, 0);
            assertThat(FakeQuantKernel.fakeQuantize(x, qp, -8, 7, Rounding.HALF_EVEN).toFloatArray())
                    .containsExactly(0f, 1f, 0f); // rne(-0.5) + z = -0 + 0 = +0
            assertThat(FakeQuantKernel.fakeQuantize(x, qp, -8, 7, Rounding.HALF_UP).toFloatArray())
                    .containsExactly(0.5f, 1f, 0f);
        }
    }
}
