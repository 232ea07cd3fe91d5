package io.lac4j.models;

/**
 * What to build: family, input channels, classes, base width (ResNet: first-stage planes, 64 in
 * the paper nets; VGG: first conv channels; MobileNet-V2: stem channels, 32 = multiplier 1.0;
 * AlexNet: first conv channels) and the classifier's input features where it depends on the
 * input size (CIFAR ResNet: {@code 8·width} at 32/28 px, {@code 32·width} for 64 px Tiny).
 */
public record ModelSpec(Arch arch, int inChannels, int numClasses, int width, int linearIn) {
    public ModelSpec {
        if (arch == Arch.AUTO) {
            throw new IllegalArgumentException("ModelSpec needs a concrete architecture, not auto");
        }
        if (inChannels <= 0 || numClasses <= 0 || width <= 0) {
            throw new IllegalArgumentException(
                    "in_channels, num_classes and width must be > 0, got " + inChannels + ", " + numClasses + ", " + width);
        }
    }

    /** Defaults for a family: paper width, and the classifier input for 32×32 (or 28×28) inputs. */
    public static ModelSpec of(Arch arch, int inChannels, int numClasses) {
        int width = switch (arch) {
            case MOBILENET_V2 -> 32;
            default -> 64;
        };
        return of(arch, inChannels, numClasses, width);
    }

    public static ModelSpec of(Arch arch, int inChannels, int numClasses, int width) {
        int linearIn = switch (arch) {
            case RESNET18_CIFAR -> 8 * width;
            default -> -1;
        };
        return new ModelSpec(arch, inChannels, numClasses, width, linearIn);
    }

    public ModelSpec withLinearIn(int features) {
        return new ModelSpec(arch, inChannels, numClasses, width, features);
    }

    /** e.g. {@code resnet18-cifar(in_channels=1, num_classes=10, width=16)}. */
    public String describe() {
        return arch.cliName() + "(in_channels=" + inChannels + ", num_classes=" + numClasses + ", width=" + width
                + (linearIn > 0 && arch == Arch.RESNET18_CIFAR && linearIn != 8 * width ? ", linear_in=" + linearIn : "")
                + ")";
    }
}
