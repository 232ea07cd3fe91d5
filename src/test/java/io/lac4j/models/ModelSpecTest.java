package io.lac4j.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lac4j.InputException;
import org.junit.jupiter.api.Test;

class ModelSpecTest {
    @Test
    void defaultsAreFilledInSoEqualSpecsCompareEqual() {
        ModelSpec r = ModelSpec.of(Arch.RESNET18_CIFAR, 3, 10);
        assertThat(r.width()).isEqualTo(64);
        assertThat(r.linearIn()).isEqualTo(512);
        assertThat(r.hidden()).isEqualTo(-1);
        assertThat(r.strides()).isNull();
        assertThat(new ModelSpec(Arch.RESNET18_CIFAR, 3, 10, 64, -1)).isEqualTo(r);
        assertThat(new ModelSpec(Arch.RESNET18_CIFAR, 3, 10, 64, 512)).isEqualTo(r);
        assertThat(ModelSpec.of(Arch.RESNET18, 3, 1000).linearIn()).isEqualTo(-1);

        assertThat(ModelSpec.of(Arch.VGG16_BN, 3, 1000).hidden()).isEqualTo(4096);
        assertThat(ModelSpec.of(Arch.VGG16_CIFAR, 3, 10).hidden()).isEqualTo(512);
        assertThat(ModelSpec.of(Arch.VGG16_CIFAR, 3, 10).linearIn()).isEqualTo(512);
        assertThat(ModelSpec.of(Arch.ALEXNET_CIFAR, 3, 10).linearIn()).isEqualTo(1024);
        assertThat(ModelSpec.of(Arch.ALEXNET_CIFAR, 3, 10).hidden()).isEqualTo(4096);
        ModelSpec mb = ModelSpec.of(Arch.MOBILENET_V2, 3, 1000);
        assertThat(mb.width()).isEqualTo(32);
        assertThat(mb.hidden()).isEqualTo(1280);
        assertThat(mb.strides()).isEqualTo(ModelSpec.Strides.IMAGENET);
        assertThat(ModelSpec.of(Arch.MOBILENET_V2, 3, 10, 45).hidden()).isEqualTo(1800);
        assertThat(ModelSpec.of(Arch.MOBILENET_V2_CIFAR, 3, 10).strides()).isEqualTo(ModelSpec.Strides.CIFAR);
        assertThat(ModelSpec.of(Arch.VGG16, 3, 10, 4).withHidden(16).withHidden(-1))
                .isEqualTo(ModelSpec.of(Arch.VGG16, 3, 10, 4));
    }

    @Test
    void describeShowsOnlyWhatDiffersFromTheDefaults() {
        assertThat(ModelSpec.of(Arch.RESNET18_CIFAR, 1, 10, 16).describe())
                .isEqualTo("resnet18-cifar(in_channels=1, num_classes=10, width=16)");
        assertThat(ModelSpec.of(Arch.RESNET18_CIFAR, 3, 200, 64).withLinearIn(2048).describe())
                .isEqualTo("resnet18-cifar(in_channels=3, num_classes=200, width=64, linear_in=2048)");
        assertThat(ModelSpec.of(Arch.MOBILENET_V2, 3, 10).withStrides(ModelSpec.Strides.CIFAR).withHidden(64).describe())
                .isEqualTo("mobilenet-v2(in_channels=3, num_classes=10, width=32, hidden=64, strides=cifar)");
    }

    @Test
    void rejectsOptionsAFamilyDoesNotHave() {
        assertThatThrownBy(() -> ModelSpec.of(Arch.RESNET18, 3, 10).withLinearIn(512))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("resnet18: linear_in");
        assertThatThrownBy(() -> ModelSpec.of(Arch.RESNET18_CIFAR, 3, 10).withHidden(100))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hidden");
        assertThatThrownBy(() -> ModelSpec.of(Arch.VGG16_BN, 3, 10).withStrides(ModelSpec.Strides.CIFAR))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fixed strides");
        assertThatThrownBy(() -> ModelSpec.of(Arch.AUTO, 3, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("auto");
        assertThatThrownBy(() -> ModelSpec.of(Arch.VGG16, 0, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 0, 10, 64");
    }

    @Test
    void archNamesOldAndNew() {
        assertThat(Arch.fromName("vgg16-bn", "--arch")).isEqualTo(Arch.VGG16_BN);
        assertThat(Arch.fromName("VGG16", "--arch")).isEqualTo(Arch.VGG16);
        assertThat(Arch.fromName("vgg16_cifar", "--arch")).isEqualTo(Arch.VGG16_CIFAR);
        assertThat(Arch.fromName("vgg16-bn-cifar", "--arch")).isEqualTo(Arch.VGG16_BN_CIFAR);
        assertThat(Arch.fromName("mobilenetv2", "--arch")).isEqualTo(Arch.MOBILENET_V2);
        assertThat(Arch.fromName("mobilenet-v2-cifar", "--arch")).isEqualTo(Arch.MOBILENET_V2_CIFAR);
        assertThat(Arch.fromName("alexnet", "--arch")).isEqualTo(Arch.ALEXNET);            // torchvision's, issue 21
        assertThat(Arch.fromName("alexnet-cifar", "--arch")).isEqualTo(Arch.ALEXNET_CIFAR);
        assertThat(Arch.fromName("resnet_cifar", "--arch")).isEqualTo(Arch.RESNET18_CIFAR);
        assertThat(Arch.fromName("vgg19_bn", "--arch")).isEqualTo(Arch.VGG19_BN);
        assertThatThrownBy(() -> Arch.fromName("vgg20", "--arch"))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("--arch: expected one of auto, resnet18-cifar")
                .hasMessageContaining("got 'vgg20'");
    }

    @Test
    void mobileNetBlockPlanMatchesTorchvision() {
        var blocks = MobileNetV2.blocks(ModelSpec.of(Arch.MOBILENET_V2, 3, 1000));
        assertThat(blocks).hasSize(MobileNetV2.BLOCKS);
        assertThat(blocks.get(0)).isEqualTo(new MobileNetV2.Block(32, 32, 16, 1, 1));
        assertThat(blocks.get(1)).isEqualTo(new MobileNetV2.Block(16, 96, 24, 6, 2));
        assertThat(blocks.get(16)).isEqualTo(new MobileNetV2.Block(160, 960, 320, 6, 1));
        assertThat(MobileNetV2.makeDivisible(32 * 0.35)).isEqualTo(16);
        assertThat(MobileNetV2.makeDivisible(16 * 0.35)).isEqualTo(8);
        assertThat(MobileNetV2.makeDivisible(1280 * 1.4)).isEqualTo(1792);
        assertThat(MobileNetV2.blocks(ModelSpec.of(Arch.MOBILENET_V2, 3, 10).withStrides(ModelSpec.Strides.CIFAR))
                .get(1).stride()).isEqualTo(1);
        assertThatThrownBy(() -> MobileNetV2.blocks(ModelSpec.of(Arch.MOBILENET_V2_CIFAR, 3, 10, 6)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiple of 4");
    }
}
