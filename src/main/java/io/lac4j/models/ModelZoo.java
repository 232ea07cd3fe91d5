package io.lac4j.models;

import ai.djl.ndarray.NDManager;
import io.lac4j.nn.Graph;

/** Builds zoo architectures as {@link Graph}s with zero-initialised tensors (load a checkpoint next). */
public final class ModelZoo {
    private ModelZoo() {}

    /** Builds {@code spec}; the graph's tensors live in a new sub-manager of {@code parent}. */
    public static Graph build(ModelSpec spec, NDManager parent) {
        NDManager m = parent.newSubManager();
        try {
            return switch (spec.arch()) {
                case RESNET18_CIFAR -> ResNets.cifarResNet18(spec, m);
                case RESNET18, RESNET34, RESNET50, RESNET101, RESNET152 -> ResNets.torchvision(spec, m);
                case PREACT_RESNET18 -> ResNets.preActResNet18(spec, m);
                case VGG11, VGG11_BN, VGG13, VGG13_BN, VGG16, VGG16_BN, VGG19, VGG19_BN, VGG16_CIFAR, VGG16_BN_CIFAR ->
                        Vgg.build(spec, m);
                case MOBILENET_V2 -> MobileNetV2.torchvision(spec, m);
                case MOBILENET_V2_CIFAR -> MobileNetV2.cifar(spec, m);
                case ALEXNET -> AlexNet.torchvision(spec, m);
                case ALEXNET_CIFAR -> AlexNet.cifar(spec, m);
                case AUTO -> throw new IllegalArgumentException("auto is resolved by ArchInference before building");
            };
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }
}
