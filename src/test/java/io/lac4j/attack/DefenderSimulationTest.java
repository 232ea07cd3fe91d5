package io.lac4j.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.lac4j.data.DataView;
import io.lac4j.data.InMemoryDataset;
import io.lac4j.data.Normalization;
import io.lac4j.data.Preprocessing;
import io.lac4j.engine.Engines;
import io.lac4j.engine.Mt19937;
import io.lac4j.engine.Progress;
import io.lac4j.models.Arch;
import io.lac4j.models.ModelSpec;
import io.lac4j.models.ModelZoo;
import io.lac4j.nn.Graph;
import io.lac4j.nn.Node;
import io.lac4j.ptq.LacReconstruction;
import io.lac4j.ptq.PdaConfig;
import io.lac4j.ptq.ReconstructionConfig;
import io.lac4j.quant.Calibration;
import io.lac4j.quant.PrepareOptions;
import io.lac4j.quant.QuantPreset;
import io.lac4j.quant.QuantizedModel;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The defense-aware attack's simulated defender: after a refresh, every layer's simulated weight is
 * exactly the weight an independent LAC run (same images, same seed) hardens it to, and the term has
 * a gradient to the training weights.
 */
class DefenderSimulationTest {
    @Test
    void simulatedWeightsAreTheWeightsLacHardensAndCarryGradient() {
        Engines.start();
        try (NDManager m = Engines.newBaseManager()) {
            Graph fp = ModelZoo.build(ModelSpec.of(Arch.RESNET18_CIFAR, 1, 10, 2), m);
            Initialization.pytorchDefault(fp, 11);
            fp.setTraining(false);
            byte[] one = new byte[28 * 28];
            new SplittableRandom(4).nextBytes(one);
            int n = 32;
            byte[] pixels = new byte[n * one.length];
            for (int i = 0; i < n; i++) {
                System.arraycopy(one, 0, pixels, i * one.length, one.length);   // every batch drawn is the same batch
            }
            DataView view = DataView.of("same", new InMemoryDataset("same", 1, 28, 28, 10, pixels, new int[n]),
                    IntStream.range(0, n).toArray(), new int[n], Preprocessing.test(Normalization.identity(1)));
            long seed = 9;
            DefenderSimulation sim = new DefenderSimulation(fp::copy, QuantPreset.ACADEMIC_W4A4, view, 2, 100, 4, seed, m);
            assertThatThrownBy(() -> sim.weight("conv1", fp.node("conv1").weighted().weight(), m))
                    .hasMessageContaining("no purification of layer conv1");
            sim.maybeRefresh(0);
            assertThat(sim.refreshes()).isEqualTo(1);
            sim.maybeRefresh(7);
            assertThat(sim.refreshes()).isEqualTo(1);

            QuantizedModel ref = QuantizedModel.prepare(fp, QuantPreset.ACADEMIC_W4A4.config(), PrepareOptions.ACADEMIC, m);
            List<NDArray> images = new ArrayList<>();
            int[] pos = IntStream.range(0, 32).toArray();
            images.add(view.batch(pos, m, 0L).images());
            images.add(view.batch(pos, m, 0L).images());
            Calibration.run(ref, 2, (k, s) -> images.get(k), m, Progress.NONE);
            LacReconstruction.run(ref, fp, images, ReconstructionConfig.REFERENCE.withMaxCount(4), PdaConfig.REFERENCE_OFF,
                    new Mt19937(seed & 0xffffffffL), m, Progress.NONE, (i, u, r) -> { }, 0);
            int layers = 0;
            int changed = 0;
            for (Node node : ref.graph().nodes()) {
                if (!ref.weightQuantizers().containsKey(node.name())) {
                    continue;
                }
                NDArray w0 = fp.node(node.name()).weighted().weight();
                float[] hard = node.weighted().weight().toFloatArray();
                assertThat(sim.weight(node.name(), w0, m).toFloatArray()).as(node.name()).containsExactly(hard);
                float[] nearest = ref.weightQuantizers().get(node.name()).hardValue(w0).toFloatArray();
                changed += java.util.Arrays.equals(nearest, hard) ? 0 : 1;
                layers++;
            }
            assertThat(layers).isEqualTo(21);
            assertThat(changed).as("layers whose LAC rounding differs from nearest").isPositive();

            NDArray w = fp.node("layer1.0.conv1").weighted().weight().duplicate();
            w.setRequiresGradient(true);
            try (var gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                gc.backward(sim.weight("layer1.0.conv1", w, m).mul(m.randomNormal(w.getShape())).sum());
            }
            assertThat(w.getGradient().abs().sum().getFloat()).isPositive();
            NDArray x = m.randomNormal(new Shape(2, 4, 8, 8));
            assertThat(sim.input("layer1.0.conv1", x).toFloatArray()).isNotEqualTo(x.toFloatArray());
        }
    }
}
