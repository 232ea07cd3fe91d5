package io.lac4j.models;

import io.lac4j.InputException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Architecture families of the zoo; {@link #AUTO} means "infer from the checkpoint". */
public enum Arch {
    AUTO("auto"),
    RESNET18_CIFAR("resnet18-cifar", "cifar-resnet18", "resnet18_cifar", "resnet_cifar"),
    RESNET18("resnet18", "resnet18-torchvision"),
    RESNET34("resnet34"),
    RESNET50("resnet50"),
    RESNET101("resnet101"),
    RESNET152("resnet152"),
    /**
     * BackdoorBench's {@code PreActResNet18} (pre-activation, He et al. 2016): 3×3 stem without BN,
     * blocks {@code bn1, conv1, bn2, conv2, shortcut.0} (1×1 conv, no BN), adaptive average pool,
     * {@code linear}.
     */
    PREACT_RESNET18("preact-resnet18", "preactresnet18", "preact_resnet18", "preact-resnet-18"),
    /** torchvision {@code vgg11} / {@code vgg11_bn} (configuration "A"). */
    VGG11("vgg11"),
    VGG11_BN("vgg11-bn", "vgg11_bn", "vgg11bn"),
    /** torchvision {@code vgg13} / {@code vgg13_bn} (configuration "B"). */
    VGG13("vgg13"),
    VGG13_BN("vgg13-bn", "vgg13_bn", "vgg13bn"),
    /** torchvision {@code vgg16_bn}: {@code features.i}, {@code avgpool} 7×7, {@code classifier.0/3/6}. */
    VGG16_BN("vgg16-bn", "vgg16_bn", "vgg16bn"),
    /** torchvision {@code vgg16} (no BatchNorm). */
    VGG16("vgg16"),
    /** torchvision {@code vgg19} / {@code vgg19_bn} (configuration "E"). */
    VGG19("vgg19"),
    VGG19_BN("vgg19-bn", "vgg19_bn", "vgg19bn"),
    /** Qu-ANTI-zation's CIFAR {@code VGG16}: no BatchNorm, no avgpool, {@code classifier.1/4/6}, 512 hidden. */
    VGG16_CIFAR("vgg16-cifar", "vgg16_cifar"),
    /** Qu-ANTI-zation's CIFAR {@code VGG16_BN}: as {@link #VGG16_CIFAR} with BatchNorm after every conv. */
    VGG16_BN_CIFAR("vgg16-bn-cifar", "vgg16_bn_cifar"),
    /** torchvision {@code mobilenet_v2}: {@code features.0..18}, {@code classifier.1}; ReLU6. */
    MOBILENET_V2("mobilenet-v2", "mobilenet_v2", "mobilenetv2"),
    /** Qu-ANTI-zation's {@code MobileNetV2}: {@code conv1, layers.N.conv1..3, conv2, linear}; ReLU. */
    MOBILENET_V2_CIFAR("mobilenet-v2-cifar", "mobilenet_v2_cifar", "mobilenetv2-cifar", "mobilenetv2_cifar"),
    /**
     * torchvision {@code alexnet}: 11×11 stride-4 stem, {@code features.0/3/6/8/10}, adaptive average
     * pool 6×6, {@code classifier.1/4/6}; needs inputs of at least 63 px.
     */
    ALEXNET("alexnet", "alexnet-torchvision"),
    /** Qu-ANTI-zation's CIFAR {@code AlexNet}: 3×3 stem, {@code features.0/3/6/8/10}, {@code classifier.1/4/6}. */
    ALEXNET_CIFAR("alexnet-cifar", "alexnet_cifar");

    private final List<String> names;

    Arch(String... names) {
        this.names = List.of(names);
    }

    /** The canonical CLI name. */
    public String cliName() {
        return names.get(0);
    }

    /** Every name this family answers to (the canonical one first). */
    public List<String> names() {
        return names;
    }

    /** Parses a CLI/config name; {@code where} names the flag or key for the error. */
    public static Arch fromName(String name, String where) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (Arch a : values()) {
            if (a.names.contains(n)) {
                return a;
            }
        }
        throw new InputException(where + ": expected one of "
                + Arrays.stream(values()).map(Arch::cliName).collect(Collectors.joining(", "))
                + ", got '" + name + "'");
    }
}
