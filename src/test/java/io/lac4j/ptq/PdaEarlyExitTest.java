package io.lac4j.ptq;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.lac4j.engine.Engines;
import io.lac4j.engine.Progress;
import io.lac4j.nn.Graph;
import io.lac4j.quant.QuantizedModel;
import io.lac4j.testing.Golden;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The early-exit PDA path gives bit-identical inputs to the plain 500-step loop, batch by batch,
 * on the fixture units — including the 1×1 unit whose variance is NaN (Q31).
 */
class PdaEarlyExitTest {
    @ParameterizedTest
    @ValueSource(strings = {"pda_conv_unit", "pda_single_pixel"})
    void earlyExitEqualsPlainLoopBitForBit(String fixture) {
        Golden g = Golden.load("ptq", fixture);
        try (NDManager m = Engines.newBaseManager(); Graph fp = TinyUnit.fp(g, m);
             QuantizedModel qm = TinyUnit.quantized(g, fp, m)) {
            ReconstructionUnit unit = UnitExtractor.layers(qm).get(0);
            NDArray base = g.array("input", m);
            List<NDArray> batches = new ArrayList<>();
            batches.add(base);                                     // the fixture batch
            batches.add(base.mul(1.7f).add(0.05f));                // two more, with other statistics
            batches.add(m.randomUniform(0f, 2f, new Shape(3, base.getShape().get(1), base.getShape().get(2), base.getShape().get(3))));
            PdaConfig cfg = new PdaConfig(true, 500, 1e-3, 1e-3, false, true, true);
            List<NDArray> fast = Pda.correctAll(qm.graph(), unit, batches, cfg, m, Progress.NONE);
            List<NDArray> plain = Pda.correctAll(qm.graph(), unit, batches, cfg.withEarlyExit(false), m, Progress.NONE);
            long perImage = base.getShape().size() / base.getShape().get(0);
            // steps in chunks of 2 images (the memory cap): still bit-identical
            List<NDArray> chunked = Pda.correctAll(qm.graph(), unit, batches, cfg, m, Progress.NONE, 2 * perImage);
            for (int k = 0; k < batches.size(); k++) {
                assertThat(fast.get(k).getShape()).isEqualTo(batches.get(k).getShape());
                float[] a = fast.get(k).toFloatArray();
                float[] b = plain.get(k).toFloatArray();
                float[] c = chunked.get(k).toFloatArray();
                for (int i = 0; i < a.length; i++) {
                    assertThat(Float.floatToRawIntBits(a[i])).as("batch %d element %d", k, i).isEqualTo(Float.floatToRawIntBits(b[i]));
                    assertThat(Float.floatToRawIntBits(c[i])).as("chunked: batch %d element %d", k, i).isEqualTo(Float.floatToRawIntBits(b[i]));
                }
            }
            assertThat(plain.get(0).toFloatArray()).containsExactly(g.floats("pda_500"));
        }
    }

    /**
     * pda_exact=false: fewer steps (counted through the progress callback), every input still in
     * the ε-ball around its original, and images that settle early identical to the exact result.
     */
    @org.junit.jupiter.api.Test
    void lossyModeRunsFewerStepsAndStaysInTheBall() {
        Golden g = Golden.load("ptq", "pda_conv_unit");
        try (NDManager m = Engines.newBaseManager(); Graph fp = TinyUnit.fp(g, m);
             QuantizedModel qm = TinyUnit.quantized(g, fp, m)) {
            ReconstructionUnit unit = UnitExtractor.layers(qm).get(0);
            NDArray base = g.array("input", m);
            List<NDArray> batches = List.of(base, m.randomUniform(0f, 2f, new Shape(16, base.getShape().get(1),
                    base.getShape().get(2), base.getShape().get(3))));
            PdaConfig exact = new PdaConfig(true, 500, 1e-3, 1e-3, false, true, true);
            int[] steps = new int[2];
            List<NDArray> a = Pda.correctAll(qm.graph(), unit, batches, exact, m, countSteps(steps, 0));
            List<NDArray> b = Pda.correctAll(qm.graph(), unit, batches, exact.withExact(false), m, countSteps(steps, 1));
            assertThat(steps[1]).isLessThanOrEqualTo(steps[0]);
            int same = 0;
            int total = 0;
            for (int k = 0; k < batches.size(); k++) {
                float[] x0 = batches.get(k).toFloatArray();
                float[] xa = a.get(k).toFloatArray();
                float[] xb = b.get(k).toFloatArray();
                for (int i = 0; i < x0.length; i++) {
                    assertThat(Math.abs(xb[i] - x0[i])).isLessThanOrEqualTo(1e-3f + 1e-6f);
                    same += xa[i] == xb[i] ? 1 : 0;
                    total++;
                }
            }
            assertThat(same).as("elements equal to the exact result").isGreaterThan(total / 2);
        }
    }

    private static Progress countSteps(int[] counts, int slot) {
        return (task, done, all, detail) -> {
            if (!detail.endsWith("steps run")) {
                counts[slot]++;
            }
        };
    }

    @org.junit.jupiter.api.Test
    void lossyModeNeedsTheEarlyExitPath() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new PdaConfig(true, 500, 1e-3, 1e-3, false, false, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pda_early_exit");
    }
}
