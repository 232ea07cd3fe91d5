package io.lac4j.models;

import io.lac4j.InputException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code --arch auto}: decides the zoo family and its sizes from state_dict keys and shapes alone.
 *
 * <ul>
 *   <li>CIFAR ResNet-18: {@code layerL.B.*} with {@code shortcut.} and {@code linear.} keys, 3×3 stem;
 *       {@code linear_in} from {@code linear.weight} (8·width at 32 px, 32·width for 64 px Tiny).
 *   <li>PreActResNet18 (BackdoorBench): {@code layerL.B.bn1}, {@code shortcut.0} and {@code linear.}
 *       but no top-level {@code bn1} (the stem has no BatchNorm).
 *   <li>torchvision ResNet-18/34/50/101/152: {@code downsample.} and {@code fc.}; blocks per stage,
 *       {@code conv3} for bottlenecks.
 *   <li>VGG ({@code features.i} convs): torchvision VGG-11/13/16/19 (8, 10, 13, 16 convs) if {@code
 *       classifier.0/3/6}, Qu-ANTI-zation CIFAR VGG-16 if {@code classifier.1/4/6}; BatchNorm if
 *       {@code features.1} has running statistics.
 *   <li>AlexNet: 5 convs {@code features.0/3/6/8/10} with {@code classifier.1/4/6}; torchvision's if
 *       the stem is 11×11, Qu-ANTI-zation's CIFAR net otherwise.
 *   <li>MobileNet-V2: torchvision {@code features.N.conv.*}; Qu-ANTI-zation {@code layers.N.conv1..3},
 *       whose strides follow from {@code layers.1.shortcut} (present only with CIFAR strides).
 * </ul>
 * in_channels is dim 1 of the stem weight, num_classes dim 0 of the last linear, width dim 0 of the
 * stem weight. Keys of other tools (quantizer states, extra buffers) are ignored. The input is a
 * plain map of shapes so this class needs no checkpoint reader; callers prefix the file name to an
 * {@link InputException}'s message.
 */
public final class ArchInference {
    private static final Pattern FEATURE_WEIGHT = Pattern.compile("features\\.(\\d+)\\.weight");
    private static final Pattern RESNET_BLOCK = Pattern.compile("layer([1-4])\\.(\\d+)\\.conv1\\.weight");
    private static final String FAMILIES = Arrays.stream(Arch.values())
            .filter(a -> a != Arch.AUTO)
            .map(Arch::cliName)
            .collect(Collectors.joining(", "));

    private ArchInference() {}

    /** The spec read from the shapes, and how it was read (for the log and {@code inspect}). */
    public record Inferred(ModelSpec spec, String explanation) {}

    /**
     * Infers the spec of a state_dict.
     *
     * @param shapes tensor shapes by state_dict key
     * @throws InputException when no supported family matches, or a family matches but its sizes are
     *     inconsistent (the message names the keys and the supported families)
     */
    public static Inferred infer(Map<String, long[]> shapes) {
        try {
            return inferFamily(new Shapes(shapes));
        } catch (IllegalArgumentException e) {
            throw new InputException("state_dict: " + e.getMessage(), e);
        }
    }

    /**
     * The spec of {@code arch} for a state_dict, without deciding the family: its sizes from the
     * family's own keys (the same reading as {@link #infer} when the keys are that family's; else
     * in_channels and width from the stem, classes from the last linear layer, the hidden width of
     * VGG and AlexNet heads from their first linear layer). The loader then
     * reports every key that does not fit, one by one.
     *
     * @throws InputException when the family's stem or classifier key is missing or not a weight
     */
    public static Inferred named(Arch arch, Map<String, long[]> shapes) {
        if (arch == Arch.AUTO) {
            return infer(shapes);
        }
        Shapes s = new Shapes(shapes);
        try {
            Inferred i = inferFamily(s);
            if (i.spec().arch() == arch) {
                return new Inferred(i.spec(), null);
            }
        } catch (InputException | IllegalArgumentException e) {
            // not this family's keys, or inconsistent sizes: read the few sizes below, the loader names the rest
        }
        String[] keys = stemAndHead(arch);
        long[] stem = s.shape(keys[0], 4);
        long[] head = s.shape(keys[1], 2);
        try {
            ModelSpec spec = ModelSpec.of(arch, (int) stem[1], (int) head[0], (int) stem[0]);
            String hiddenKey = spec.hidden() <= 0 || !stemAndHead(arch)[0].equals("features.0.weight") ? null
                    : s.has("classifier.0.weight") ? "classifier.0.weight" : "classifier.1.weight";
            if (hiddenKey != null && s.has(hiddenKey) && s.dims(hiddenKey) == 2) {
                spec = spec.withHidden((int) s.shapes.get(hiddenKey)[0]);
            }
            return new Inferred(spec, null);
        } catch (IllegalArgumentException e) {
            throw new InputException("state_dict: --arch " + arch.cliName() + ": " + e.getMessage(), e);
        }
    }

    /** The stem weight and the last linear weight of a family. */
    private static String[] stemAndHead(Arch arch) {
        return switch (arch) {
            case RESNET18_CIFAR, PREACT_RESNET18 -> new String[] {"conv1.weight", "linear.weight"};
            case RESNET18, RESNET34, RESNET50, RESNET101, RESNET152 -> new String[] {"conv1.weight", "fc.weight"};
            case MOBILENET_V2 -> new String[] {"features.0.0.weight", "classifier.1.weight"};
            case MOBILENET_V2_CIFAR -> new String[] {"conv1.weight", "linear.weight"};
            case AUTO -> throw new IllegalArgumentException("auto has no keys");
            default -> new String[] {"features.0.weight", "classifier.6.weight"};
        };
    }

    private static Inferred inferFamily(Shapes s) {
        if (s.has("conv1.weight") && s.has("layer1.0.conv1.weight") && s.has("linear.weight")
                && !s.has("bn1.weight") && s.has("layer1.0.bn1.weight")) {
            return preActResNet(s);
        }
        if (s.has("conv1.weight") && s.has("layer1.0.conv1.weight")) {
            if (s.has("linear.weight")) {
                return cifarResNet(s);
            }
            if (s.has("fc.weight")) {
                return torchvisionResNet(s);
            }
        }
        if (s.has("features.0.0.weight") && s.has("features.1.conv.0.0.weight") && s.has("classifier.1.weight")) {
            return torchvisionMobileNet(s);
        }
        if (s.has("conv1.weight") && s.has("layers.0.conv1.weight") && s.has("conv2.weight") && s.has("linear.weight")) {
            return cifarMobileNet(s);
        }
        if (s.has("features.0.weight") && s.dims("features.0.weight") == 4) {
            return vggOrAlexNet(s);
        }
        throw unknown(s, "");
    }

    private static Inferred cifarResNet(Shapes s) {
        long[] stem = s.shape("conv1.weight", 4);
        if (stem[2] != 3) {
            throw s.error("conv1.weight", "a 3×3 stem for resnet18-cifar (keys linear/shortcut)", stem);
        }
        int[] blocks = resnetBlocks(s);
        if (!Arrays.equals(blocks, new int[] {2, 2, 2, 2})) {
            throw new InputException("state_dict: expected blocks [2, 2, 2, 2] per stage (resnet18-cifar, keys "
                    + "shortcut/linear), got " + Arrays.toString(blocks) + "; only the CIFAR ResNet-18 is in the zoo");
        }
        int width = (int) stem[0];
        long[] linear = s.shape("linear.weight", 2);
        int linearIn = (int) linear[1];
        String pooled = pooledMap(linearIn, 8 * width, "8·width", 1, "linear.weight", linear, s);
        ModelSpec spec = new ModelSpec(Arch.RESNET18_CIFAR, (int) stem[1], (int) linear[0], width, linearIn);
        return new Inferred(spec, spec.arch().cliName() + " (keys layer2.0.shortcut/linear; "
                + stemText(s, "conv1.weight", stem) + "; " + s.text("linear.weight") + " ⇒ " + linear[0]
                + " classes, linear_in " + linearIn + " = " + pooled + ")");
    }

    private static Inferred preActResNet(Shapes s) {
        long[] stem = s.shape("conv1.weight", 4);
        int[] blocks = resnetBlocks(s);
        if (!Arrays.equals(blocks, new int[] {2, 2, 2, 2}) || s.has("layer1.0.conv3.weight")) {
            throw new InputException("state_dict: expected PreActResNet18's [2, 2, 2, 2] basic blocks (keys layerL.B.bn1,"
                    + " shortcut.0, linear; no top-level bn1), got " + Arrays.toString(blocks)
                    + (s.has("layer1.0.conv3.weight") ? " bottlenecks" : "") + "; only PreActResNet18 is in the zoo");
        }
        long[] linear = s.shape("linear.weight", 2);
        ModelSpec spec = ModelSpec.of(Arch.PREACT_RESNET18, (int) stem[1], (int) linear[0], (int) stem[0]);
        if (linear[1] != 8L * spec.width()) {
            throw s.error("linear.weight", "[" + linear[0] + ", " + 8L * spec.width() + "] for " + spec.describe(), linear);
        }
        return new Inferred(spec, spec.arch().cliName() + " (keys layerL.B.bn1/shortcut.0/linear, no top-level bn1"
                + " ⇒ pre-activation blocks; " + stemText(s, "conv1.weight", stem) + "; " + s.text("linear.weight") + " ⇒ "
                + linear[0] + " classes)");
    }

    private static Inferred torchvisionResNet(Shapes s) {
        long[] stem = s.shape("conv1.weight", 4);
        int[] blocks = resnetBlocks(s);
        boolean bottleneck = s.has("layer1.0.conv3.weight");
        Arch arch;
        if (!bottleneck && Arrays.equals(blocks, new int[] {2, 2, 2, 2})) {
            arch = Arch.RESNET18;
        } else if (!bottleneck && Arrays.equals(blocks, new int[] {3, 4, 6, 3})) {
            arch = Arch.RESNET34;
        } else if (bottleneck && Arrays.equals(blocks, new int[] {3, 4, 6, 3})) {
            arch = Arch.RESNET50;
        } else if (bottleneck && Arrays.equals(blocks, new int[] {3, 4, 23, 3})) {
            arch = Arch.RESNET101;
        } else if (bottleneck && Arrays.equals(blocks, new int[] {3, 8, 36, 3})) {
            arch = Arch.RESNET152;
        } else {
            throw new InputException("state_dict: expected a torchvision ResNet-18/34 ([2, 2, 2, 2] or [3, 4, 6, 3] "
                    + "basic blocks) or ResNet-50/101/152 ([3, 4, 6, 3], [3, 4, 23, 3] or [3, 8, 36, 3] bottlenecks), got "
                    + Arrays.toString(blocks)
                    + (bottleneck ? " bottlenecks" : " basic blocks") + " (keys layerL.B.conv1, fc)");
        }
        long[] fc = s.shape("fc.weight", 2);
        ModelSpec spec = ModelSpec.of(arch, (int) stem[1], (int) fc[0], (int) stem[0]);
        int expectedIn = 8 * spec.width() * (bottleneck ? 4 : 1);
        if (fc[1] != expectedIn) {
            throw s.error("fc.weight", "[" + fc[0] + ", " + expectedIn + "] for " + spec.describe(), fc);
        }
        return new Inferred(spec, arch.cliName() + " (keys downsample/fc, " + (bottleneck ? "conv3 ⇒ bottlenecks" : "basic blocks")
                + " " + Arrays.toString(blocks) + "; " + stemText(s, "conv1.weight", stem) + "; " + s.text("fc.weight")
                + " ⇒ " + fc[0] + " classes)");
    }

    private static int[] resnetBlocks(Shapes s) {
        int[] blocks = new int[4];
        for (String key : s.keys()) {
            Matcher m = RESNET_BLOCK.matcher(key);
            if (m.matches()) {
                int layer = Integer.parseInt(m.group(1)) - 1;
                blocks[layer] = Math.max(blocks[layer], Integer.parseInt(m.group(2)) + 1);
            }
        }
        return blocks;
    }

    private static Inferred vggOrAlexNet(Shapes s) {
        TreeMap<Integer, long[]> convs = new TreeMap<>();
        for (String key : s.keys()) {
            Matcher m = FEATURE_WEIGHT.matcher(key);
            if (m.matches() && s.dims(key) == 4) {
                convs.put(Integer.parseInt(m.group(1)), s.shapes.get(key));
            }
        }
        boolean batchNorm = s.has("features.1.running_mean");
        boolean torchvisionHead = s.has("classifier.0.weight") && s.has("classifier.3.weight") && s.has("classifier.6.weight");
        boolean cifarHead = s.has("classifier.1.weight") && s.has("classifier.4.weight") && s.has("classifier.6.weight");
        long[] stem = s.shape("features.0.weight", 4);
        int width = (int) stem[0];
        String convText = convs.size() + " convs features." + convs.firstKey() + ".." + convs.lastKey()
                + (batchNorm ? ", BatchNorm" : ", no BatchNorm");
        long[] out = cifarHead || torchvisionHead ? s.shape("classifier.6.weight", 2) : null;
        Arch torchvisionVgg = Vgg.torchvision(convs.size(), batchNorm);
        if (torchvisionVgg != null && torchvisionHead) {
            long[] fc0 = s.shape("classifier.0.weight", 2);
            ModelSpec spec = ModelSpec.of(torchvisionVgg, (int) stem[1], (int) out[0], width).withHidden((int) fc0[0]);
            if (fc0[1] != 8L * width * 49) {
                throw s.error("classifier.0.weight", "[" + fc0[0] + ", " + 8L * width * 49 + "] (8·width·7·7 after avgpool)", fc0);
            }
            return new Inferred(spec, spec.arch().cliName() + " (" + convText + ", classifier.0/3/6; "
                    + stemText(s, "features.0.weight", stem) + "; " + s.text("classifier.0.weight") + " ⇒ hidden " + fc0[0]
                    + "; " + s.text("classifier.6.weight") + " ⇒ " + out[0] + " classes)");
        }
        if (convs.size() == 5 && !batchNorm && cifarHead && stem[2] == 11) {
            long[] fc1 = s.shape("classifier.1.weight", 2);
            ModelSpec spec = ModelSpec.of(Arch.ALEXNET, (int) stem[1], (int) out[0], width).withHidden((int) fc1[0]);
            if (fc1[1] != 4L * width * 36) {
                throw s.error("classifier.1.weight", "[" + fc1[0] + ", " + 4L * width * 36 + "] (4·width·6·6 after avgpool)", fc1);
            }
            return new Inferred(spec, spec.arch().cliName() + " (" + convText + ", classifier.1/4/6; "
                    + s.text("features.0.weight") + " ⇒ 11×11 stem (torchvision), in_channels " + stem[1] + ", width " + width
                    + "; " + s.text("classifier.1.weight") + " ⇒ hidden " + fc1[0] + "; " + s.text("classifier.6.weight")
                    + " ⇒ " + out[0] + " classes)");
        }
        if ((convs.size() == 13 || convs.size() == 5 && !batchNorm) && cifarHead) {
            boolean vgg = convs.size() == 13;
            Arch arch = vgg ? (batchNorm ? Arch.VGG16_BN_CIFAR : Arch.VGG16_CIFAR) : Arch.ALEXNET_CIFAR;
            long[] fc1 = s.shape("classifier.1.weight", 2);
            String pooled = vgg
                    ? pooledMap((int) fc1[1], 8 * width, "8·width", 1, "classifier.1.weight", fc1, s)
                    : pooledMap((int) fc1[1], 4 * width, "4·width", 2, "classifier.1.weight", fc1, s);
            ModelSpec spec = new ModelSpec(arch, (int) stem[1], (int) out[0], width, (int) fc1[1],
                    ModelSpec.Options.hidden((int) fc1[0]));
            return new Inferred(spec, arch.cliName() + " (" + convText + ", classifier.1/4/6; "
                    + stemText(s, "features.0.weight", stem) + "; " + s.text("classifier.1.weight") + " ⇒ hidden " + fc1[0]
                    + ", linear_in " + fc1[1] + " = " + pooled + "; " + s.text("classifier.6.weight") + " ⇒ " + out[0]
                    + " classes)");
        }
        throw unknown(s, "; features.i with " + convText + (torchvisionHead ? ", classifier.0/3/6" : cifarHead
                ? ", classifier.1/4/6" : ", no classifier.0/3/6 or 1/4/6")
                + " is not VGG-11/13/16/19 (8, 10, 13, 16 convs) or AlexNet (5 convs)");
    }

    private static Inferred torchvisionMobileNet(Shapes s) {
        long[] stem = s.shape("features.0.0.weight", 4);
        String lastKey = "features." + (MobileNetV2.BLOCKS + 1) + ".0.weight";
        long[] last = s.shape(lastKey, 4);
        long[] fc = s.shape("classifier.1.weight", 2);
        ModelSpec spec = ModelSpec.of(Arch.MOBILENET_V2, (int) stem[1], (int) fc[0], (int) stem[0]).withHidden((int) last[0]);
        List<MobileNetV2.Block> blocks = MobileNetV2.blocks(spec);
        for (int i = 0; i < blocks.size(); i++) {
            MobileNetV2.Block b = blocks.get(i);
            String key = "features." + (i + 1) + ".conv." + (b.expansion() == 1 ? 1 : 2) + ".weight";
            checkShape(s, key, new long[] {b.out(), b.expanded(), 1, 1}, spec,
                    "; width multipliers whose stem is not 32·multiplier (e.g. 0.35, 1.4) are not supported");
        }
        return new Inferred(spec, spec.arch().cliName() + " (keys features.N.conv, " + lastKey.replace(".0.weight", "")
                + ", classifier.1; " + stemText(s, "features.0.0.weight", stem) + " (multiplier " + stem[0] / 32.0 + "); "
                + s.text(lastKey) + " ⇒ hidden " + last[0] + "; " + s.text("classifier.1.weight") + " ⇒ " + fc[0]
                + " classes; strides are not stored in a state_dict: ImageNet strides assumed, a stride-1 (CIFAR) stem"
                + " must be given explicitly)");
    }

    private static Inferred cifarMobileNet(Shapes s) {
        long[] stem = s.shape("conv1.weight", 4);
        long[] last = s.shape("conv2.weight", 4);
        long[] fc = s.shape("linear.weight", 2);
        boolean cifarStrides = s.has("layers.1.shortcut.0.weight");
        ModelSpec spec;
        try {
            spec = ModelSpec.of(Arch.MOBILENET_V2_CIFAR, (int) stem[1], (int) fc[0], (int) stem[0])
                    .withHidden((int) last[0])
                    .withStrides(cifarStrides ? ModelSpec.Strides.CIFAR : ModelSpec.Strides.IMAGENET);
            List<MobileNetV2.Block> blocks = MobileNetV2.blocks(spec);
            for (int i = 0; i < blocks.size(); i++) {
                MobileNetV2.Block b = blocks.get(i);
                checkShape(s, "layers." + i + ".conv3.weight", new long[] {b.out(), b.expanded(), 1, 1}, spec, "");
            }
        } catch (IllegalArgumentException e) {
            throw new InputException("conv1.weight " + Arrays.toString(stem) + ": " + e.getMessage());
        }
        return new Inferred(spec, spec.arch().cliName() + " (keys layers.N.conv1..3, conv2, linear; "
                + stemText(s, "conv1.weight", stem) + "; " + s.text("conv2.weight") + " ⇒ hidden " + last[0] + "; "
                + s.text("linear.weight") + " ⇒ " + fc[0] + " classes; layers.1.shortcut "
                + (cifarStrides ? "present ⇒ CIFAR strides (stem and 24-channel stage stride 1)"
                        : "absent ⇒ ImageNet strides (Tiny-ImageNet configuration)") + ")");
    }

    private static void checkShape(Shapes s, String key, long[] expected, ModelSpec spec, String hint) {
        long[] got = s.shapes.get(key);
        if (got == null) {
            throw new InputException("state_dict: key '" + key + "': expected shape " + Arrays.toString(expected)
                    + " (" + spec.describe() + "), got no such key");
        }
        if (!Arrays.equals(got, expected)) {
            throw new InputException("state_dict: key '" + key + "': expected shape " + Arrays.toString(expected)
                    + " (" + spec.describe() + "), got " + Arrays.toString(got) + hint);
        }
    }

    /**
     * Reads {@code features} as {@code channels·k·k} (a k×k map flattened) and names the input size:
     * k = {@code k32} at 32 px, 2·k32 at 64 px (Tiny-ImageNet).
     */
    private static String pooledMap(int features, int channels, String channelsText, int k32, String key, long[] shape,
            Shapes s) {
        int k = (int) Math.round(Math.sqrt(features / (double) channels));
        if (k < 1 || (long) k * k * channels != features) {
            throw s.error(key, "input features " + channelsText + "·k·k = " + channels + "·k·k (a k×k map)", shape);
        }
        String size = k == k32 ? "32 px input" : k == 2 * k32 ? "64 px input, Tiny-ImageNet" : k + "×" + k + " map";
        return channelsText + (k == 1 ? "" : "·" + k + "·" + k) + " (" + size + ")";
    }

    private static String stemText(Shapes s, String key, long[] stem) {
        return s.text(key) + " ⇒ in_channels " + stem[1] + ", width " + stem[0];
    }

    private static InputException unknown(Shapes s, String detail) {
        List<String> seen = s.keys().stream().filter(k -> !k.endsWith("num_batches_tracked")).limit(5).toList();
        String hint = !s.keys().isEmpty() && s.keys().stream().allMatch(k -> k.startsWith("module."))
                ? "; keys start with 'module.' (saved from DataParallel): strip that prefix" : "";
        return new InputException("state_dict: expected the keys of a zoo model (" + FAMILIES + "), got "
                + (s.keys().isEmpty() ? "no tensors" : s.keys().size() + " keys such as " + seen.stream()
                        .map(k -> "'" + k + "'").collect(Collectors.joining(", ")))
                + detail + hint + "; pass --arch to name the architecture");
    }

    /** Shapes by key, with the lookups and messages used above. */
    private static final class Shapes {
        private final Map<String, long[]> shapes;

        Shapes(Map<String, long[]> shapes) {
            this.shapes = new TreeMap<>(shapes);
        }

        java.util.Set<String> keys() {
            return shapes.keySet();
        }

        boolean has(String key) {
            return shapes.containsKey(key);
        }

        int dims(String key) {
            return shapes.get(key).length;
        }

        long[] shape(String key, int dims) {
            long[] shape = shapes.get(key);
            if (shape == null) {
                throw new InputException("state_dict: key '" + key + "': expected a " + dims + "-d tensor, got no such key");
            }
            if (shape.length != dims) {
                throw error(key, "a " + dims + "-d tensor", shape);
            }
            return shape;
        }

        String text(String key) {
            return key + " " + Arrays.toString(shapes.get(key));
        }

        InputException error(String key, String expected, long[] got) {
            return new InputException("state_dict: key '" + key + "': expected " + expected + ", got " + Arrays.toString(got));
        }
    }
}
