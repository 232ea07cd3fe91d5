package io.lac4j.ptq;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import io.lac4j.engine.Engines;
import io.lac4j.models.Arch;
import io.lac4j.models.ModelSpec;
import io.lac4j.models.ModelZoo;
import io.lac4j.nn.Graph;
import io.lac4j.quant.PrepareOptions;
import io.lac4j.quant.QuantPreset;
import io.lac4j.quant.QuantizedModel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Unit lists of LAC.md §8.2 for both ResNet-18 layouts: 21 units each — the stem, per block
 * conv1 (through its ReLU and output quantizer), conv2 (through bn2, stopping at the add), the
 * shortcut/downsample conv of the first block of layers 2–4 (after conv2), and the classifier.
 */
class UnitExtractorTest {
    static List<String> expectedNames(String shortcut, String head) {
        List<String> names = new ArrayList<>(List.of("conv1"));
        for (int l = 1; l <= 4; l++) {
            for (int b = 0; b < 2; b++) {
                String p = "layer" + l + "." + b;
                names.add(p + ".conv1");
                names.add(p + ".conv2");
                if (l > 1 && b == 0) {
                    names.add(p + "." + shortcut + ".0");
                }
            }
        }
        names.add(head);
        return names;
    }

    private static List<ReconstructionUnit> units(Arch arch, int in, int classes, Pattern pattern) {
        try (NDManager m = Engines.newBaseManager(); Graph fp = ModelZoo.build(ModelSpec.of(arch, in, classes, 4), m);
             QuantizedModel qm = QuantizedModel.prepare(fp, QuantPreset.ACADEMIC_W4A4.config(), PrepareOptions.ACADEMIC, m)) {
            assertThat(qm.weightQuantizers()).hasSize(21);
            assertThat(qm.activationQuantizers()).hasSize(18);
            return UnitExtractor.extract(qm, pattern);
        }
    }

    @Test
    void cifarResNet18HasTheReferenceUnits() {
        List<ReconstructionUnit> us = units(Arch.RESNET18_CIFAR, 1, 10, Pattern.LAYER);
        assertThat(us).extracting(ReconstructionUnit::name).containsExactlyElementsOf(expectedNames("shortcut", "linear"));
        ReconstructionUnit stem = us.get(0);
        assertThat(stem.input()).isEqualTo("x_post_act_fake_quantizer");
        assertThat(stem.nodes()).containsExactly("conv1", "bn1", "relu", "relu_post_act_fake_quantizer");
        assertThat(stem.fpTarget()).isEqualTo("relu");
        ReconstructionUnit conv2 = us.get(2);
        assertThat(conv2.nodes()).containsExactly("layer1.0.conv2", "layer1.0.bn2");
        assertThat(conv2.fpTarget()).isEqualTo("layer1.0.bn2");
        ReconstructionUnit sc = us.get(7);
        assertThat(sc.name()).isEqualTo("layer2.0.shortcut.0");
        assertThat(sc.input()).isEqualTo("layer1.1.relu_1_post_act_fake_quantizer");
        assertThat(sc.batchNorms()).containsExactly("layer2.0.shortcut.1");
        ReconstructionUnit head = us.get(20);
        assertThat(head.input()).isEqualTo("view_post_act_fake_quantizer");
        assertThat(head.nodes()).containsExactly("linear");
        assertThat(head.batchNorms()).isEmpty();
    }

    @Test
    void torchvisionResNet18HasTheReferenceUnits() {
        List<ReconstructionUnit> us = units(Arch.RESNET18, 3, 1000, Pattern.LAYER);
        assertThat(us).extracting(ReconstructionUnit::name).containsExactlyElementsOf(expectedNames("downsample", "fc"));
        assertThat(us.get(0).nodes()).containsExactly("conv1", "bn1", "relu", "maxpool", "maxpool_post_act_fake_quantizer");
        assertThat(us.get(0).fpTarget()).isEqualTo("maxpool");
    }

    @Test
    void blockPatternPutsBlockOutputQuantizersInsideUnits() {
        List<ReconstructionUnit> us = units(Arch.RESNET18_CIFAR, 1, 10, Pattern.BLOCK);
        assertThat(us).extracting(ReconstructionUnit::name).containsExactly("conv1", "layer1.0.conv1", "layer1.1.conv1",
                "layer2.0.conv1", "layer2.1.conv1", "layer3.0.conv1", "layer3.1.conv1", "layer4.0.conv1", "layer4.1.conv1", "linear");
        ReconstructionUnit b = us.get(3);
        assertThat(b.weighted()).containsExactly("layer2.0.conv1", "layer2.0.conv2", "layer2.0.shortcut.0");
        assertThat(b.output()).isEqualTo("layer2.0.relu_1_post_act_fake_quantizer");
        assertThat(b.fpTarget()).isEqualTo("layer2.0.relu_1");
        assertThat(us.get(8).output()).isEqualTo("layer4.1.relu_1");
    }

    @Test
    void layerInPatternPutsEveryActivationQuantizerInExactlyOneUnit() {
        for (Arch arch : List.of(Arch.RESNET18_CIFAR, Arch.RESNET18)) {
            List<ReconstructionUnit> layer = units(arch, 3, 10, Pattern.LAYER);
            List<ReconstructionUnit> in = units(arch, 3, 10, Pattern.LAYER_IN);
            assertThat(in).extracting(ReconstructionUnit::name).containsExactlyElementsOf(layer.stream().map(ReconstructionUnit::name).toList());
            List<String> quantizers = in.stream().flatMap(u -> u.nodes().stream())
                    .filter(n -> n.endsWith("_post_act_fake_quantizer")).toList();
            assertThat(quantizers).as(arch + ": 18 activation quantizers, each in one unit").hasSize(18).doesNotHaveDuplicates();
            for (int k = 0; k < in.size(); k++) {
                ReconstructionUnit a = layer.get(k);
                ReconstructionUnit b = in.get(k);
                if (b.nodes().size() > a.nodes().size()) {       // it took over its input quantizer
                    assertThat(b.nodes().get(0)).isEqualTo(a.input());
                    assertThat(b.input()).isEqualTo(a.input().replace("_post_act_fake_quantizer", ""));
                } else {
                    assertThat(b).isEqualTo(a);
                }
                assertThat(b.fpTarget()).isEqualTo(a.fpTarget());
            }
        }
    }
}
