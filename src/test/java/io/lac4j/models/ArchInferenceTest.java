package io.lac4j.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.lac4j.InputException;
import io.lac4j.engine.Engines;
import io.lac4j.nn.Graph;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every zoo model is recognised from the shapes of its own state_dict, with the same spec. */
class ArchInferenceTest {
    private static NDManager manager;

    @BeforeAll
    static void start() {
        manager = Engines.newBaseManager();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    static Stream<Arguments> specs() {
        return Stream.of(
                ModelSpec.of(Arch.RESNET18_CIFAR, 3, 10),
                ModelSpec.of(Arch.RESNET18_CIFAR, 1, 10, 16),
                ModelSpec.of(Arch.RESNET18_CIFAR, 3, 200, 8).withLinearIn(32 * 8),
                ModelSpec.of(Arch.RESNET18, 3, 1000, 16),
                ModelSpec.of(Arch.RESNET34, 1, 10, 8),
                ModelSpec.of(Arch.RESNET50, 3, 100, 8),
                ModelSpec.of(Arch.VGG16_BN, 3, 1000, 8),
                ModelSpec.of(Arch.VGG16, 1, 10, 4).withHidden(32),
                ModelSpec.of(Arch.VGG16_CIFAR, 3, 10, 16),
                ModelSpec.of(Arch.VGG16_BN_CIFAR, 3, 200, 8).withLinearIn(32 * 8),
                ModelSpec.of(Arch.ALEXNET_CIFAR, 3, 10, 16),
                ModelSpec.of(Arch.ALEXNET_CIFAR, 1, 200, 8).withLinearIn(64 * 8).withHidden(100),
                ModelSpec.of(Arch.MOBILENET_V2, 3, 1000),
                ModelSpec.of(Arch.MOBILENET_V2, 3, 10, 16),
                ModelSpec.of(Arch.MOBILENET_V2, 1, 10, 24),
                ModelSpec.of(Arch.MOBILENET_V2, 3, 10, 64),
                ModelSpec.of(Arch.MOBILENET_V2_CIFAR, 3, 10),
                ModelSpec.of(Arch.MOBILENET_V2_CIFAR, 3, 200, 8).withStrides(ModelSpec.Strides.IMAGENET),
                ModelSpec.of(Arch.MOBILENET_V2_CIFAR, 1, 10, 4).withHidden(40),
                ModelSpec.of(Arch.RESNET101, 3, 10, 4),
                ModelSpec.of(Arch.RESNET152, 1, 10, 2),
                ModelSpec.of(Arch.PREACT_RESNET18, 3, 10, 16),
                ModelSpec.of(Arch.PREACT_RESNET18, 1, 43, 8),
                ModelSpec.of(Arch.ALEXNET, 3, 1000, 8),
                ModelSpec.of(Arch.ALEXNET, 1, 10, 4).withHidden(64),
                ModelSpec.of(Arch.VGG11, 3, 10, 4).withHidden(16),
                ModelSpec.of(Arch.VGG11_BN, 3, 10, 4),
                ModelSpec.of(Arch.VGG13, 1, 10, 4),
                ModelSpec.of(Arch.VGG13_BN, 3, 100, 4).withHidden(16),
                ModelSpec.of(Arch.VGG19, 3, 10, 4),
                ModelSpec.of(Arch.VGG19_BN, 3, 10, 2).withHidden(8))
                .map(s -> Arguments.of(s.describe(), s));
    }

    private static Map<String, long[]> shapesOf(ModelSpec spec) {
        try (Graph g = ModelZoo.build(spec, manager)) {
            Map<String, long[]> shapes = new LinkedHashMap<>();
            for (Map.Entry<String, NDArray> e : g.stateDict().entrySet()) {
                shapes.put(e.getKey(), e.getValue().getShape().getShape());
            }
            return shapes;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void infersTheSpecItWasBuiltFrom(String name, ModelSpec spec) {
        ArchInference.Inferred inferred = ArchInference.infer(shapesOf(spec));
        assertThat(inferred.spec()).isEqualTo(spec);
        assertThat(inferred.explanation()).startsWith(spec.arch().cliName() + " (")
                .contains("width " + spec.width())
                .contains(spec.numClasses() + " classes");
    }

    @Test
    void explainsWhatItRead() {
        ArchInference.Inferred r = ArchInference.infer(shapesOf(ModelSpec.of(Arch.RESNET18_CIFAR, 1, 10, 16)));
        assertThat(r.explanation()).isEqualTo("resnet18-cifar (keys layer2.0.shortcut/linear; conv1.weight [16, 1, 3, 3]"
                + " ⇒ in_channels 1, width 16; linear.weight [10, 128] ⇒ 10 classes, linear_in 128 = 8·width (32 px input))");
        ModelSpec tiny = ModelSpec.of(Arch.RESNET18_CIFAR, 3, 200, 8).withLinearIn(256);
        assertThat(ArchInference.infer(shapesOf(tiny)).explanation())
                .contains("linear_in 256 = 8·width·2·2 (64 px input, Tiny-ImageNet)");
        assertThat(ArchInference.infer(shapesOf(ModelSpec.of(Arch.RESNET50, 3, 10, 8))).explanation())
                .contains("conv3 ⇒ bottlenecks [3, 4, 6, 3]");
        assertThat(ArchInference.infer(shapesOf(ModelSpec.of(Arch.ALEXNET_CIFAR, 3, 10, 8))).explanation())
                .contains("linear_in 128 = 4·width·2·2 (32 px input)");
    }

    @Test
    void ignoresQuantizerStateAndOtherExtraKeys() {
        Map<String, long[]> shapes = shapesOf(ModelSpec.of(Arch.VGG16_CIFAR, 3, 10, 8));
        shapes.put("features.0.weight_quantizer.range_tracker.min_val", new long[] {1, 1, 1, 1});
        shapes.put("classifier.6.activation_quantizer.scale", new long[] {1});
        assertThat(ArchInference.infer(shapes).spec()).isEqualTo(ModelSpec.of(Arch.VGG16_CIFAR, 3, 10, 8));
    }

    @Test
    void mobileNetStridesComeFromTheShortcutOrDefaultToImageNet() {
        ModelSpec cifarNames = ModelSpec.of(Arch.MOBILENET_V2_CIFAR, 3, 10, 8);
        assertThat(ArchInference.infer(shapesOf(cifarNames)).spec().strides()).isEqualTo(ModelSpec.Strides.CIFAR);
        assertThat(ArchInference.infer(shapesOf(cifarNames.withStrides(ModelSpec.Strides.IMAGENET))).spec().strides())
                .isEqualTo(ModelSpec.Strides.IMAGENET);
        // torchvision names: the strides leave no trace in the shapes, so the explanation says what it assumed.
        ArchInference.Inferred tv = ArchInference.infer(
                shapesOf(ModelSpec.of(Arch.MOBILENET_V2, 3, 10, 16).withStrides(ModelSpec.Strides.CIFAR)));
        assertThat(tv.spec().strides()).isEqualTo(ModelSpec.Strides.IMAGENET);
        assertThat(tv.explanation()).contains("ImageNet strides assumed");
    }

    @Test
    void unknownLayoutNamesKeysAndFamilies() {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        shapes.put("encoder.weight", new long[] {8, 3, 3, 3});
        shapes.put("head.weight", new long[] {10, 8});
        assertThatThrownBy(() -> ArchInference.infer(shapes))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("'encoder.weight'")
                .hasMessageContaining("'head.weight'")
                .hasMessageContaining("resnet18-cifar")
                .hasMessageContaining("vgg16-bn")
                .hasMessageContaining("mobilenet-v2")
                .hasMessageContaining("alexnet-cifar");
        assertThatThrownBy(() -> ArchInference.infer(Map.of()))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("no tensors");
    }

    @Test
    void dataParallelPrefixGetsAHint() {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        shapesOf(ModelSpec.of(Arch.RESNET18_CIFAR, 3, 10, 4)).forEach((k, v) -> shapes.put("module." + k, v));
        assertThatThrownBy(() -> ArchInference.infer(shapes))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("'module.")
                .hasMessageContaining("strip that prefix");
    }

    @Test
    void unsupportedVariantsOfKnownFamiliesAreRejected() {
        // A CIFAR ResNet-34 (Qu-ANTI-zation has one) is not in the zoo.
        Map<String, long[]> r34 = shapesOf(ModelSpec.of(Arch.RESNET34, 3, 10, 4));
        Map<String, long[]> cifar34 = new LinkedHashMap<>();
        r34.forEach((k, v) -> cifar34.put(k.replace("downsample", "shortcut").replace("fc.", "linear."), v));
        cifar34.put("conv1.weight", new long[] {4, 3, 3, 3});
        assertThatThrownBy(() -> ArchInference.infer(cifar34))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("[3, 4, 6, 3]")
                .hasMessageContaining("resnet18-cifar");

        // VGG-19 has 16 convs.
        Map<String, long[]> vgg19 = shapesOf(ModelSpec.of(Arch.VGG16_CIFAR, 3, 10, 4));
        vgg19.put("features.40.weight", new long[] {32, 32, 3, 3});
        vgg19.put("features.42.weight", new long[] {32, 32, 3, 3});
        vgg19.put("features.44.weight", new long[] {32, 32, 3, 3});
        assertThatThrownBy(() -> ArchInference.infer(vgg19))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("16 convs");
    }

    @Test
    void inconsistentSizesNameTheKey() {
        Map<String, long[]> resnet = shapesOf(ModelSpec.of(Arch.RESNET18_CIFAR, 3, 10, 8));
        resnet.put("linear.weight", new long[] {10, 100});
        assertThatThrownBy(() -> ArchInference.infer(resnet))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("key 'linear.weight'")
                .hasMessageContaining("got [10, 100]");

        Map<String, long[]> tv = shapesOf(ModelSpec.of(Arch.RESNET18, 3, 10, 8));
        tv.put("fc.weight", new long[] {10, 65});
        assertThatThrownBy(() -> ArchInference.infer(tv))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("key 'fc.weight': expected [10, 64]");

        // A width multiplier 0.35 checkpoint: stem 16 (as for 0.5) but narrower stages.
        Map<String, long[]> mb = shapesOf(ModelSpec.of(Arch.MOBILENET_V2, 3, 10, 16));
        mb.put("features.2.conv.2.weight", new long[] {8, 48, 1, 1});
        assertThatThrownBy(() -> ArchInference.infer(mb))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("key 'features.2.conv.2.weight': expected shape [16, 48, 1, 1]")
                .hasMessageContaining("not supported");

        Map<String, long[]> mbc = shapesOf(ModelSpec.of(Arch.MOBILENET_V2_CIFAR, 3, 10, 8));
        mbc.put("conv1.weight", new long[] {6, 3, 3, 3});
        assertThatThrownBy(() -> ArchInference.infer(mbc))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("multiple of 4");
    }
}
