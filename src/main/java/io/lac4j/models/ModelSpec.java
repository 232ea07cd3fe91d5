package io.lac4j.models;

/**
 * What to build: family, input channels, classes, base width and the few size choices a
 * state_dict pins down.
 *
 * <ul>
 *   <li>{@code width}: ResNet first-stage planes (64 in the paper nets); VGG and AlexNet first conv
 *       channels (64), the rest of the channel plan scales with it; MobileNet-V2 stem channels (32 =
 *       width multiplier 1.0).
 *   <li>{@code linearIn}: the classifier's input features where they depend on the input size:
 *       CIFAR ResNet {@code 8·width} at 32/28 px, {@code 32·width} for 64 px Tiny-ImageNet; CIFAR
 *       VGG {@code 8·width} / {@code 32·width}; CIFAR AlexNet {@code 16·width} / {@code 64·width}.
 *       {@code -1} for families whose head does not depend on the input size. A value {@code <= 0}
 *       given for a family that has one means "the 32 px default".
 *   <li>{@link Options}: head width and MobileNet-V2 strides.
 * </ul>
 *
 * Defaults are filled in by the constructor, so a spec built by {@link #of} equals the spec {@link
 * ArchInference} reads back from the same network's state_dict.
 */
public record ModelSpec(Arch arch, int inChannels, int numClasses, int width, int linearIn, Options options) {

    /** Downsampling plan of MobileNet-V2 (the only families whose strides are a choice). */
    public enum Strides {
        /** Stem and the 24-channel stage stride 2 (×32 overall): torchvision, Qu-ANTI-zation's tiny-imagenet. */
        IMAGENET,
        /** Stem and the 24-channel stage stride 1 (×8 overall): Qu-ANTI-zation's cifar10 MobileNetV2. */
        CIFAR
    }

    /**
     * Size choices beyond the width. {@code hidden}: VGG/AlexNet width of the two hidden fully
     * connected layers (torchvision VGG and AlexNet {@code 64·width} = 4096, CIFAR VGG {@code 8·width}
     * = 512); MobileNet-V2 channels of the last 1×1 conv ({@code 1280·max(1, width/32)} rounded to 8);
     * {@code -1} = the family default, or "none" for ResNets. {@code strides}: MobileNet-V2 only;
     * {@code null} = the family default.
     */
    public record Options(int hidden, Strides strides) {
        public static final Options DEFAULT = new Options(-1, null);

        public static Options hidden(int hidden) {
            return new Options(hidden, null);
        }
    }

    public ModelSpec {
        if (arch == null || arch == Arch.AUTO) {
            throw new IllegalArgumentException("ModelSpec needs a concrete architecture, not auto");
        }
        if (inChannels <= 0 || numClasses <= 0 || width <= 0) {
            throw new IllegalArgumentException(
                    "in_channels, num_classes and width must be > 0, got " + inChannels + ", " + numClasses + ", " + width);
        }
        if (options == null) {
            options = Options.DEFAULT;
        }
        int defaultLinearIn = defaultLinearIn(arch, width);
        if (defaultLinearIn < 0 && linearIn > 0) {
            throw new IllegalArgumentException(arch.cliName() + ": linear_in is fixed by the layout, got " + linearIn);
        }
        if (linearIn <= 0) {
            linearIn = defaultLinearIn;
        }
        int defaultHidden = defaultHidden(arch, width);
        if (defaultHidden < 0 && options.hidden() > 0) {
            throw new IllegalArgumentException(arch.cliName() + " has no hidden head width, got " + options.hidden());
        }
        Strides strides = options.strides();
        Strides defaultStrides = defaultStrides(arch);
        if (defaultStrides == null && strides != null) {
            throw new IllegalArgumentException(arch.cliName() + " has fixed strides, got " + strides);
        }
        options = new Options(
                options.hidden() > 0 ? options.hidden() : defaultHidden, strides != null ? strides : defaultStrides);
    }

    /** The 5-component form of earlier versions: default options. */
    public ModelSpec(Arch arch, int inChannels, int numClasses, int width, int linearIn) {
        this(arch, inChannels, numClasses, width, linearIn, Options.DEFAULT);
    }

    /** Defaults for a family: paper width, and the classifier input for 32×32 (or 28×28) inputs. */
    public static ModelSpec of(Arch arch, int inChannels, int numClasses) {
        int width = switch (arch) {
            case MOBILENET_V2, MOBILENET_V2_CIFAR -> 32;
            default -> 64;
        };
        return of(arch, inChannels, numClasses, width);
    }

    public static ModelSpec of(Arch arch, int inChannels, int numClasses, int width) {
        return new ModelSpec(arch, inChannels, numClasses, width, -1, Options.DEFAULT);
    }

    public ModelSpec withLinearIn(int features) {
        return new ModelSpec(arch, inChannels, numClasses, width, features, options);
    }

    /** The same spec with another hidden head width ({@code <= 0}: the family default). */
    public ModelSpec withHidden(int hidden) {
        return new ModelSpec(arch, inChannels, numClasses, width, linearIn, new Options(hidden, options.strides()));
    }

    public ModelSpec withStrides(Strides strides) {
        return new ModelSpec(arch, inChannels, numClasses, width, linearIn, new Options(options.hidden(), strides));
    }

    /** Shorthand for {@code options().hidden()}. */
    public int hidden() {
        return options.hidden();
    }

    /** Shorthand for {@code options().strides()}; {@code null} for families with fixed strides. */
    public Strides strides() {
        return options.strides();
    }

    /** e.g. {@code resnet18-cifar(in_channels=1, num_classes=10, width=16)}; non-defaults are appended. */
    public String describe() {
        StringBuilder s = new StringBuilder(arch.cliName())
                .append("(in_channels=").append(inChannels)
                .append(", num_classes=").append(numClasses)
                .append(", width=").append(width);
        if (linearIn > 0 && linearIn != defaultLinearIn(arch, width)) {
            s.append(", linear_in=").append(linearIn);
        }
        if (options.hidden() > 0 && options.hidden() != defaultHidden(arch, width)) {
            s.append(", hidden=").append(options.hidden());
        }
        if (options.strides() != null && options.strides() != defaultStrides(arch)) {
            s.append(", strides=").append(options.strides().name().toLowerCase(java.util.Locale.ROOT));
        }
        return s.append(')').toString();
    }

    /** Classifier input at 32 px for families where it depends on the input size, else -1. */
    static int defaultLinearIn(Arch arch, int width) {
        return switch (arch) {
            case RESNET18_CIFAR, VGG16_CIFAR, VGG16_BN_CIFAR -> 8 * width;
            case ALEXNET_CIFAR -> 16 * width;
            default -> -1;
        };
    }

    static int defaultHidden(Arch arch, int width) {
        return switch (arch) {
            case VGG11, VGG11_BN, VGG13, VGG13_BN, VGG16, VGG16_BN, VGG19, VGG19_BN, ALEXNET, ALEXNET_CIFAR -> 64 * width;
            case VGG16_CIFAR, VGG16_BN_CIFAR -> 8 * width;
            case MOBILENET_V2, MOBILENET_V2_CIFAR -> MobileNetV2.makeDivisible(1280 * Math.max(1.0, width / 32.0));
            default -> -1;
        };
    }

    static Strides defaultStrides(Arch arch) {
        return switch (arch) {
            case MOBILENET_V2 -> Strides.IMAGENET;
            case MOBILENET_V2_CIFAR -> Strides.CIFAR;
            default -> null;
        };
    }
}
