package io.lac4j.models;

import ai.djl.ndarray.NDManager;
import io.lac4j.nn.Graph;

/** Builds zoo architectures as {@link Graph}s with zero-initialised tensors (load a checkpoint next). */
public final class ModelZoo {
    private ModelZoo() {}

    /** Builds {@code spec}; the graph's tensors live in a new sub-manager of {@code parent}. */
    public static Graph build(ModelSpec spec, NDManager parent) {
        NDManager m = parent.newSubManager();
        return switch (spec.arch()) {
            case RESNET18_CIFAR -> ResNets.cifarResNet18(spec, m);
            case RESNET18, RESNET34, RESNET50 -> ResNets.torchvision(spec, m);
            default -> throw new UnsupportedOperationException(spec.arch().cliName() + " is not in the zoo yet");
        };
    }
}
