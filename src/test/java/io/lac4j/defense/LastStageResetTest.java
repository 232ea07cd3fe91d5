package io.lac4j.defense;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.lac4j.engine.Engines;
import io.lac4j.models.Arch;
import io.lac4j.models.ModelSpec;
import io.lac4j.models.ModelZoo;
import io.lac4j.nn.BatchNorm2d;
import io.lac4j.nn.Graph;
import io.lac4j.nn.Node;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The last-stage reset behind {@code qad-reset}: which layers it takes on each architecture family, that it leaves
 * every other tensor alone, keeps each weight's norm, and that the BatchNorm statistics it measures normalise the
 * very batches they were measured on (mean 0, variance 1 per channel).
 */
class LastStageResetTest {
    private static Graph randomised(ModelSpec spec, NDManager m) {
        Graph g = ModelZoo.build(spec, m);
        SplittableRandom r = new SplittableRandom(7);
        for (Map.Entry<String, NDArray> e : g.parameters().entrySet()) {
            float[] v = new float[(int) e.getValue().size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (r.nextGaussian() * 0.3 + (e.getKey().endsWith("bn1.weight") ? 1 : 0));
            }
            e.getValue().set(v);
        }
        return g;
    }

    private static NDArray batch(int k, NDManager m) {
        SplittableRandom r = new SplittableRandom(100 + k);
        float[] v = new float[8 * 1 * 28 * 28];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return m.create(v, new Shape(8, 1, 28, 28));
    }

    @Test
    void aResNetLosesItsLastStageAndTheClassifier() {
        try (NDManager m = Engines.newBaseManager(); Graph g = ModelZoo.build(ModelSpec.of(Arch.RESNET18_CIFAR, 1, 10, 2), m)) {
            assertThat(LastStageReset.stageOf(g)).isEqualTo("layer4");
            List<String> stage = LastStageReset.nodes(g, "layer4").stream().map(Node::name).toList();
            assertThat(stage).first().isEqualTo("layer4.0.conv1");
            assertThat(stage).last().isEqualTo("linear");
            assertThat(stage).contains("layer4.0.bn1", "layer4.0.shortcut.0", "layer4.0.shortcut.1", "layer4.1.bn2")
                    .hasSize(5 * 2 + 1).noneMatch(n -> n.startsWith("layer3") || n.equals("conv1"));
            List<String> block = LastStageReset.nodes(g, "layer4.1").stream().map(Node::name).toList();
            assertThat(block).as("one block by name")
                    .containsExactly("layer4.1.conv1", "layer4.1.bn1", "layer4.1.conv2", "layer4.1.bn2", "linear");
        }
    }

    @Test
    void aSequentialNetworkLosesItsLastConvolutionAndTheClassifier() {
        try (NDManager m = Engines.newBaseManager();
             Graph g = ModelZoo.build(ModelSpec.of(Arch.VGG11_BN, 3, 10, 2).withHidden(8), m)) {
            String stage = LastStageReset.stageOf(g);
            assertThat(stage).matches("features\\.\\d+");
            List<String> names = LastStageReset.nodes(g, stage).stream().map(Node::name).toList();
            assertThat(names.get(0)).isEqualTo(stage);
            assertThat(names).filteredOn(n -> n.startsWith("classifier")).hasSize(3);
            long convs = g.nodes().stream().filter(n -> n.op() instanceof io.lac4j.nn.Conv2d).count();
            assertThat(names).filteredOn(n -> g.node(n).op() instanceof io.lac4j.nn.Conv2d).hasSize(1).hasSizeLessThan((int) convs);
        }
    }

    @Test
    void resetTouchesOnlyTheStageKeepsNormsAndNormalisesItsBatches() {
        try (NDManager m = Engines.newBaseManager(); Graph g = randomised(ModelSpec.of(Arch.RESNET18_CIFAR, 1, 10, 2), m);
             Graph again = randomised(ModelSpec.of(Arch.RESNET18_CIFAR, 1, 10, 2), m)) {
            Map<String, float[]> before = new HashMap<>();
            g.stateDict().forEach((k, v) -> before.put(k, v.toType(DataType.FLOAT32, true).toFloatArray()));
            List<Node> block = LastStageReset.nodes(g, "layer4");
            LastStageReset.reset(g, block, new SplittableRandom(3), 2, LastStageResetTest::batch, m);
            for (Map.Entry<String, NDArray> e : g.stateDict().entrySet()) {
                String k = e.getKey();
                float[] now = e.getValue().toType(DataType.FLOAT32, true).toFloatArray();
                String node = k.substring(0, k.lastIndexOf('.'));
                boolean inStage = k.startsWith("layer4.") || k.startsWith("linear.");
                boolean batchNorm = g.node(node).isBatchNorm();
                if (!inStage || k.endsWith("num_batches_tracked")) {
                    assertThat(now).as(k).containsExactly(before.get(k));
                } else if (batchNorm && k.endsWith(".weight")) {
                    assertThat(now).as(k).containsOnly(1f);
                } else if (k.endsWith(".bias")) {
                    assertThat(now).as(k).containsOnly(0f);
                } else if (k.endsWith(".weight")) {
                    assertThat(norm(now)).as(k).isCloseTo(norm(before.get(k)), within(1e-4 * norm(before.get(k))));
                    assertThat(now).as(k).isNotEqualTo(before.get(k));
                }
            }
            Node bn = g.node("layer4.1.bn2");
            double[] mean = new double[((BatchNorm2d) bn.op()).features()];
            double[] sq = new double[mean.length];
            long per = 0;
            for (int k = 0; k < 2; k++) {
                try (NDManager s = m.newSubManager()) {
                    NDArray y = g.forward(batch(k, s), Set.of(bn.name()), bn.name()).get(bn.name());
                    float[] a = y.sum(new int[] {0, 2, 3}).toFloatArray();
                    float[] b = y.square().sum(new int[] {0, 2, 3}).toFloatArray();
                    for (int c = 0; c < mean.length; c++) {
                        mean[c] += a[c];
                        sq[c] += b[c];
                    }
                    per += y.size() / mean.length;
                }
            }
            for (int c = 0; c < mean.length; c++) {
                double mu = mean[c] / per;
                assertThat(mu).as("channel %d mean", c).isCloseTo(0, within(1e-3));
                assertThat(sq[c] / per - mu * mu).as("channel %d variance", c).isCloseTo(1, within(1e-2));
            }
            LastStageReset.reset(again, LastStageReset.nodes(again, "layer4"), new SplittableRandom(3), 2,
                    LastStageResetTest::batch, m);
            assertThat(again.tensor("layer4.0.conv1.weight").toFloatArray())
                    .as("same seed, same values").containsExactly(g.tensor("layer4.0.conv1.weight").toFloatArray());
        }
    }

    private static double norm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        return Math.sqrt(s);
    }

    @Test
    void theLayersBeforeTheStageAreTheSlowGroupAndNothingOfTheStageIs() {
        try (NDManager m = Engines.newBaseManager(); Graph g = ModelZoo.build(ModelSpec.of(Arch.RESNET18_CIFAR, 1, 10, 2), m)) {
            List<Node> stage = LastStageReset.nodes(g, "layer4");
            Distillation.SlowerParameters slow = ResetDistillation.earlierLayers(g, stage, 0);
            assertThat(slow.factor()).isZero();
            assertThat(slow.keys()).contains("conv1.weight", "bn1.weight", "layer3.1.conv2.weight", "layer3.1.bn2.bias")
                    .noneMatch(k -> k.startsWith("layer4") || k.startsWith("linear"));
            Set<String> all = g.parameters().keySet();
            long inStage = all.stream().filter(k -> k.startsWith("layer4") || k.startsWith("linear")).count();
            assertThat(slow.keys()).hasSize((int) (all.size() - inStage));
            assertThat(ResetDistillation.earlierLayers(g, stage, 1)).as("full rate: one group").isNull();
            assertThat(ResetDistillation.earlierLayers(g, stage, 0.1).factor()).isEqualTo(0.1);
        }
    }
}
