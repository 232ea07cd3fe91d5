package io.lac4j.quant;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.lac4j.engine.Engines;
import io.lac4j.testing.Golden;
import io.lac4j.testing.Tensors;
import org.junit.jupiter.api.Test;

/** LAC offset quantizer on a conv weight with planted .5 ties: soft rhu, hard rne (Q6), ∂α. */
class LearnedOffsetQuantizerGoldenTest {
    private static final Golden GD = Golden.load("quant", "offset");

    @Test
    void softHardAndGradientMatchTorch() {
        QScheme scheme = QScheme.asymmetric(4, Granularity.PER_CHANNEL);
        LearnedOffsetQuantizer q = new LearnedOffsetQuantizer(scheme, Observer.Kind.MIN_MAX);
        try (NDManager m = Engines.newBaseManager()) {
            NDArray w = GD.array("w", m);
            q.setState(true, false);
            q.apply(w);
            Tensors.assertExact(q.qparams().scale(), GD.floats("scale"));
            NDArray alpha = q.initLearning(m, w.getShape());
            alpha.set(GD.floats("alpha"));
            float[] out = Grad.run(m, q::apply, w, GD.array("g", m));
            Tensors.assertExact(out, GD.floats("soft"));
            Tensors.assertClose(alpha.getGradient().toFloatArray(), GD.floats("grad"), 1e-6, 1e-7);
            float[] hard = q.hardValue(w).toFloatArray();
            Tensors.assertExact(hard, GD.floats("hard"));
            // the planted ties: rhu (soft) and rne (hard) differ somewhere
            float[] soft = GD.floats("soft");
            int differ = 0;
            for (int i = 0; i < soft.length; i++) {
                if (soft[i] != hard[i]) {
                    differ++;
                }
            }
            assertThat(differ).isPositive();
        }
    }
}
