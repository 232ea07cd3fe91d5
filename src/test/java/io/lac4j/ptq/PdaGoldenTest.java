package io.lac4j.ptq;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.lac4j.engine.Engines;
import io.lac4j.nn.Graph;
import io.lac4j.quant.QuantizedModel;
import io.lac4j.testing.Golden;
import io.lac4j.testing.Tensors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** PDA on the fixture unit equals the PyTorch port after 1 and after 500 steps (LAC.md §9). */
class PdaGoldenTest {
    @ParameterizedTest
    @ValueSource(strings = {"pda_conv_unit", "pda_single_pixel"})
    void perturbedInputsMatch(String fixture) {
        Golden g = Golden.load("ptq", fixture);
        try (NDManager m = Engines.newBaseManager(); Graph fp = TinyUnit.fp(g, m);
             QuantizedModel qm = TinyUnit.quantized(g, fp, m)) {
            ReconstructionUnit unit = UnitExtractor.layers(qm).get(0);
            NDArray x0 = g.array("input", m);
            for (int steps : new int[] {1, 500}) {
                PdaConfig cfg = new PdaConfig(true, steps, 1e-3, 1e-3, false, false, true);
                NDArray x = Pda.correct(qm.graph(), unit, x0, cfg, m);
                // every coordinate sits on the lattice x0 + {-ε, -ε/2, 0, ε/2, ε}; compare exactly up to float noise
                Tensors.assertClose(x.toFloatArray(), g.floats("pda_" + steps), 0, 1e-7);
                assertThat(x0.toFloatArray()).containsExactly(g.floats("input"));
            }
        }
    }
}
