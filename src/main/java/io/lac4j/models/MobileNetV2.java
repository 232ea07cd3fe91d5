package io.lac4j.models;

import ai.djl.ndarray.NDManager;
import io.lac4j.nn.Graph;
import io.lac4j.nn.GraphBuilder;
import io.lac4j.nn.Ops;
import java.util.ArrayList;
import java.util.List;

/**
 * MobileNet-V2 with PyTorch state_dict names, in two layouts sharing the block plan {@code (t, c,
 * n, s)} = (1,16,1,1) (6,24,2,2) (6,32,3,2) (6,64,4,2) (6,96,3,1) (6,160,3,2) (6,320,1,1):
 *
 * <ul>
 *   <li>torchvision ({@link Arch#MOBILENET_V2}): {@code features.0.{0,1,2}} stem conv 3×3 / BN /
 *       ReLU6; {@code features.1..17} InvertedResidual with {@code conv.0.*} expand 1×1 (absent when
 *       t = 1), {@code conv.k.*} depthwise 3×3, {@code conv.k+1} project 1×1, {@code conv.k+2} BN;
 *       residual {@code x + conv(x)} when stride 1 and in = out; {@code features.18.*} 1×1 to
 *       {@code hidden} (1280); {@code adaptive_avg_pool2d} → {@code flatten} → {@code classifier.0}
 *       Dropout(0.2) → {@code classifier.1} Linear. Channels {@code _make_divisible(c·width/32, 8)};
 *       expanded channels {@code in·t}.
 *   <li>Qu-ANTI-zation ({@link Arch#MOBILENET_V2_CIFAR}, {@code networks/mobilenet.py}): {@code
 *       conv1/bn1} stem, {@code layers.i.{conv1,bn1,conv2,bn2,conv3,bn3}} blocks (the expand conv is
 *       present even for t = 1) with ReLU (not ReLU6), no residual when stride 2, identity or
 *       {@code shortcut.0/1} (1×1 conv + BN, when in ≠ out) added when stride 1; {@code conv2/bn2}
 *       1×1 to {@code hidden}, {@code apool}, {@code view}, {@code linear}. Channels {@code
 *       c·width/32} (width a multiple of 4).
 * </ul>
 * {@link ModelSpec.Strides#CIFAR} makes the stem and the first 24-channel block stride 1 (Qu-ANTI-zation
 * on CIFAR-10); {@link ModelSpec.Strides#IMAGENET} is torchvision's and Qu-ANTI-zation's Tiny-ImageNet.
 */
public final class MobileNetV2 {
    private static final int[][] SETTING = {
        {1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}
    };

    /** Number of inverted-residual blocks ({@code features.1..17}, {@code layers.0..16}). */
    public static final int BLOCKS = 17;

    private MobileNetV2() {}

    /** One inverted-residual block: channels in, expanded and out; expansion t; stride. */
    public record Block(int in, int expanded, int out, int expansion, int stride) {}

    /** torchvision's {@code _make_divisible(v, 8)}: nearest multiple of 8, at least 8, never below 90 % of v. */
    public static int makeDivisible(double v) {
        int divisor = 8;
        int rounded = Math.max(divisor, (int) (v + divisor / 2.0) / divisor * divisor);
        if (rounded < 0.9 * v) {
            rounded += divisor;
        }
        return rounded;
    }

    /** The block plan of {@code spec} (channels and strides), shared by the builder and {@link ArchInference}. */
    public static List<Block> blocks(ModelSpec spec) {
        boolean torchvision = switch (spec.arch()) {
            case MOBILENET_V2 -> true;
            case MOBILENET_V2_CIFAR -> false;
            default -> throw new IllegalArgumentException("not a MobileNet-V2: " + spec.arch());
        };
        int w = spec.width();
        List<Block> blocks = new ArrayList<>(BLOCKS);
        int in = w;
        for (int stage = 0; stage < SETTING.length; stage++) {
            int t = SETTING[stage][0];
            int c = SETTING[stage][1];
            int out;
            if (torchvision) {
                out = makeDivisible(c * (w / 32.0));
            } else {
                if (c * w % 32 != 0) {
                    throw new IllegalArgumentException(
                            spec.arch().cliName() + ": width must be a multiple of 4 (channels c·width/32), got " + w);
                }
                out = c * w / 32;
            }
            int s = stage == 1 && spec.strides() == ModelSpec.Strides.CIFAR ? 1 : SETTING[stage][3];
            for (int i = 0; i < SETTING[stage][2]; i++) {
                blocks.add(new Block(in, in * t, out, t, i == 0 ? s : 1));
                in = out;
            }
        }
        return blocks;
    }

    private static int stemStride(ModelSpec spec) {
        return spec.strides() == ModelSpec.Strides.CIFAR ? 1 : 2;
    }

    /** torchvision {@code mobilenet_v2}. */
    public static Graph torchvision(ModelSpec spec, NDManager manager) {
        List<Block> blocks = blocks(spec);
        GraphBuilder b = new GraphBuilder(manager);
        String x = convBnRelu6(b, "features.0", Graph.INPUT, spec.inChannels(), spec.width(), 3, stemStride(spec), 1);
        for (int i = 0; i < blocks.size(); i++) {
            Block blk = blocks.get(i);
            String p = "features." + (i + 1);
            String y = x;
            int k = 0;
            if (blk.expansion() != 1) {
                y = convBnRelu6(b, p + ".conv.0", y, blk.in(), blk.expanded(), 1, 1, 1);
                k = 1;
            }
            y = convBnRelu6(b, p + ".conv." + k, y, blk.expanded(), blk.expanded(), 3, blk.stride(), blk.expanded());
            y = b.conv(p + ".conv." + (k + 1), y, blk.expanded(), blk.out(), 1, 1, 0, false);
            y = b.bn(p + ".conv." + (k + 2), y, blk.out());
            if (blk.stride() == 1 && blk.in() == blk.out()) {
                y = b.addResidual(p + ".add", x, y);
            }
            x = y;
        }
        int last = blocks.get(blocks.size() - 1).out();
        x = convBnRelu6(b, "features." + (blocks.size() + 1), x, last, spec.hidden(), 1, 1, 1);
        x = b.add("adaptive_avg_pool2d", Ops.adaptiveAvgPool2d(1), x);
        x = b.add("flatten", Ops.flatten(), x);
        x = b.add("classifier.0", Ops.dropout(0.2f), x);
        x = b.linear("classifier.1", x, spec.hidden(), spec.numClasses(), true);
        return b.build(x);
    }

    /** Qu-ANTI-zation's {@code MobileNetV2} (CIFAR-10 or, with IMAGENET strides, Tiny-ImageNet). */
    public static Graph cifar(ModelSpec spec, NDManager manager) {
        List<Block> blocks = blocks(spec);
        GraphBuilder b = new GraphBuilder(manager);
        String x = b.conv("conv1", Graph.INPUT, spec.inChannels(), spec.width(), 3, stemStride(spec), 1, false);
        x = b.bn("bn1", x, spec.width());
        x = b.relu("relu", x);
        for (int i = 0; i < blocks.size(); i++) {
            Block blk = blocks.get(i);
            String p = "layers." + i;
            String y = b.conv(p + ".conv1", x, blk.in(), blk.expanded(), 1, 1, 0, false);
            y = b.bn(p + ".bn1", y, blk.expanded());
            y = b.relu(p + ".relu", y);
            y = b.conv(p + ".conv2", y, blk.expanded(), blk.expanded(), 3, blk.stride(), 1, blk.expanded(), false);
            y = b.bn(p + ".bn2", y, blk.expanded());
            y = b.relu(p + ".relu_1", y);
            y = b.conv(p + ".conv3", y, blk.expanded(), blk.out(), 1, 1, 0, false);
            y = b.bn(p + ".bn3", y, blk.out());
            if (blk.stride() == 1) {
                String shortcut = x;
                if (blk.in() != blk.out()) {
                    shortcut = b.conv(p + ".shortcut.0", x, blk.in(), blk.out(), 1, 1, 0, false);
                    shortcut = b.bn(p + ".shortcut.1", shortcut, blk.out());
                }
                y = b.addResidual(p + ".add", y, shortcut);
            }
            x = y;
        }
        int last = blocks.get(blocks.size() - 1).out();
        x = b.conv("conv2", x, last, spec.hidden(), 1, 1, 0, false);
        x = b.bn("bn2", x, spec.hidden());
        x = b.relu("relu_1", x);
        x = b.add("apool", Ops.adaptiveAvgPool2d(1), x);
        x = b.add("view", Ops.flatten(), x);
        x = b.linear("linear", x, spec.hidden(), spec.numClasses(), true);
        return b.build(x);
    }

    private static String convBnRelu6(GraphBuilder b, String p, String x, int in, int out, int k, int s, int groups) {
        String y = b.conv(p + ".0", x, in, out, k, s, (k - 1) / 2, groups, false);
        y = b.bn(p + ".1", y, out);
        return b.relu6(p + ".2", y);
    }
}
