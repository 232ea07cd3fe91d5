package io.lac4j.attack;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.lac4j.engine.Engines;
import io.lac4j.models.Arch;
import io.lac4j.models.ModelSpec;
import io.lac4j.models.ModelZoo;
import io.lac4j.nn.Graph;
import io.lac4j.quant.Granularity;
import org.junit.jupiter.api.Test;

/** Hooks off = the FP network bit for bit; hooks on = a different, quantized network; weights untouched. */
class QuantHooksTest {
    @Test
    void offIsTheFpNetworkAndOnQuantizes() {
        Engines.start();
        try (NDManager m = Engines.newBaseManager()) {
            Graph fp = ModelZoo.build(ModelSpec.of(Arch.RESNET18_CIFAR, 1, 10, 2), m);
            Initialization.pytorchDefault(fp, 7);
            Graph g = fp.copy(m);
            QuantHooks hooks = QuantHooks.install(g, true);
            assertThat(g.nodes().stream().filter(n -> n.name().endsWith(".input_hook")).count())
                    .isEqualTo(fp.nodes().stream().filter(n -> n.isWeighted()).count());
            // an identity shortcut still reads the FP block input: only the conv's own input is hooked
            assertThat(g.node("layer1.0.conv1").inputs()).containsExactly("layer1.0.conv1.input_hook");
            assertThat(g.stateDict().keySet()).isEqualTo(fp.stateDict().keySet());
            fp.setTraining(false);
            g.setTraining(false);
            NDArray x = m.randomNormal(new Shape(3, 1, 28, 28));
            float[] want = fp.forward(x).toFloatArray();
            assertThat(g.forward(x).toFloatArray()).containsExactly(want);
            float[] q4 = hooks.forward(new QuAntiZationSim(4), x).toFloatArray();
            float[] pq = hooks.forward(new PqBackendSim(Granularity.PER_CHANNEL), x).toFloatArray();
            assertThat(q4).isNotEqualTo(want);
            assertThat(pq).isNotEqualTo(want);
            assertThat(hooks.active()).isNull();
            assertThat(g.forward(x).toFloatArray()).containsExactly(want);
        }
    }

    @Test
    void compArtifactFoldsOnlyFromTheFirstQuantizedLayer() {
        Engines.start();
        try (NDManager m = Engines.newBaseManager()) {
            Graph g = ModelZoo.build(ModelSpec.of(Arch.RESNET18_CIFAR, 1, 10, 2), m);
            CompArtifactSim sim = CompArtifactSim.of(g, "layer4.0");
            assertThat(sim.quantizedLayers()).contains("layer4.0.conv1", "layer4.1.conv2", "linear")
                    .doesNotContain("conv1", "layer3.1.conv2");
            assertThat(CompArtifactSim.of(g, null).quantizedLayers()).contains("conv1");
        }
    }

    @Test
    void compArtifactBitsSetTheSymmetricGrid() {
        Engines.start();
        try (NDManager m = Engines.newBaseManager()) {
            Graph g = ModelZoo.build(ModelSpec.of(Arch.RESNET18_CIFAR, 1, 10, 2), m);
            NDArray w = m.randomNormal(new Shape(4, 3, 3, 3));
            float maxAbs = w.abs().max().getFloat();
            for (int bits : new int[] {8, 4}) {
                CompArtifactSim sim = CompArtifactSim.of(g, "linear", bits);
                assertThat(sim.name()).isEqualTo("compartifact-" + bits);
                double s = maxAbs / (((1 << bits) - 1) / 2.0);
                java.util.Set<Long> levels = new java.util.TreeSet<>();
                for (float v : sim.weight("linear", w, m).toFloatArray()) {
                    double q = v / s;
                    assertThat(Math.abs(q - Math.rint(q))).isLessThan(1e-3);
                    levels.add(Math.round(q));
                }
                assertThat(levels).allSatisfy(q -> assertThat(q).isBetween(-(1L << (bits - 1)), (1L << (bits - 1)) - 1));
                if (bits == 4) {
                    assertThat(levels.size()).isLessThanOrEqualTo(16).isGreaterThan(8);
                }
            }
        }
    }
}
