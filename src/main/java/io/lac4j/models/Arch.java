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
    VGG16_BN("vgg16-bn", "vgg16_bn", "vgg16bn"),
    MOBILENET_V2("mobilenet-v2", "mobilenet_v2", "mobilenetv2"),
    ALEXNET_CIFAR("alexnet-cifar", "alexnet_cifar", "alexnet");

    private final List<String> names;

    Arch(String... names) {
        this.names = List.of(names);
    }

    /** The canonical CLI name. */
    public String cliName() {
        return names.get(0);
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
