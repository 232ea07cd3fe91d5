package io.lac4j.models;

import ai.djl.ndarray.NDManager;
import io.lac4j.nn.Graph;
import io.lac4j.nn.GraphBuilder;
import io.lac4j.nn.Ops;

/**
 * VGG-11/13/16/19 (configurations "A", "B", "D", "E") with PyTorch state_dict names. Every layout
 * shares {@code features}: 3×3 convs (pad 1, bias) each followed by {@code BatchNorm2d} (the
 * {@code _bn} variants) and ReLU, with a 2×2 max pool after each of the five stages; every module is
 * one node named by its index ({@code features.0}, {@code features.1}, ...). VGG-16's channels are
 * {@code width × [1,1,2,2,4,4,4,8,8,8,8,8,8]} (width 64 in the paper nets), the others' likewise.
 *
 * <ul>
 *   <li>torchvision ({@link Arch#VGG11} … {@link Arch#VGG19_BN}): {@code avgpool}
 *       (AdaptiveAvgPool2d 7×7) → {@code flatten} → {@code classifier.0} Linear(8w·49, hidden),
 *       {@code .1} ReLU, {@code .2} Dropout, {@code .3} Linear(hidden, hidden), {@code .4} ReLU,
 *       {@code .5} Dropout, {@code .6} Linear(hidden, classes); hidden 4096.
 *   <li>Qu-ANTI-zation CIFAR VGG-16 ({@link Arch#VGG16_CIFAR}, {@link Arch#VGG16_BN_CIFAR};
 *       {@code networks/vgg.py}): no average pool; {@code view} → {@code classifier.0} Dropout,
 *       {@code .1} Linear(linear_in, hidden), {@code .2} ReLU, {@code .3} Dropout, {@code .4}
 *       Linear, {@code .5} ReLU, {@code .6} Linear; hidden 512, linear_in 512 at 32 px (1×1 maps)
 *       and 2048 at 64 px.
 * </ul>
 */
public final class Vgg {
    /** Channel multipliers of configurations "A" (VGG-11), "B" (13), "D" (16), "E" (19); 0 marks a max pool. */
    private static final int[] CFG_A = {1, 0, 2, 0, 4, 4, 0, 8, 8, 0, 8, 8, 0};
    private static final int[] CFG_B = {1, 1, 0, 2, 2, 0, 4, 4, 0, 8, 8, 0, 8, 8, 0};
    private static final int[] CFG_D = {1, 1, 0, 2, 2, 0, 4, 4, 4, 0, 8, 8, 8, 0, 8, 8, 8, 0};
    private static final int[] CFG_E = {1, 1, 0, 2, 2, 0, 4, 4, 4, 4, 0, 8, 8, 8, 8, 0, 8, 8, 8, 8, 0};

    private Vgg() {}

    /** Convolutions of a VGG family: 8, 10, 13 or 16. */
    static int convs(Arch arch) {
        return (int) java.util.Arrays.stream(config(arch)).filter(v -> v != 0).count();
    }

    private static int[] config(Arch arch) {
        return switch (arch) {
            case VGG11, VGG11_BN -> CFG_A;
            case VGG13, VGG13_BN -> CFG_B;
            case VGG16, VGG16_BN, VGG16_CIFAR, VGG16_BN_CIFAR -> CFG_D;
            case VGG19, VGG19_BN -> CFG_E;
            default -> throw new IllegalArgumentException("not a VGG: " + arch);
        };
    }

    /** Whether the family has BatchNorm after every conv. */
    static boolean batchNorm(Arch arch) {
        return switch (arch) {
            case VGG11_BN, VGG13_BN, VGG16_BN, VGG19_BN, VGG16_BN_CIFAR -> true;
            default -> false;
        };
    }

    /** The torchvision VGG with {@code convs} convolutions (8, 10, 13, 16), with or without BatchNorm; null if none. */
    static Arch torchvision(int convs, boolean batchNorm) {
        for (Arch a : new Arch[] {Arch.VGG11, Arch.VGG11_BN, Arch.VGG13, Arch.VGG13_BN, Arch.VGG16, Arch.VGG16_BN,
                Arch.VGG19, Arch.VGG19_BN}) {
            if (convs(a) == convs && batchNorm(a) == batchNorm) {
                return a;
            }
        }
        return null;
    }

    public static Graph build(ModelSpec spec, NDManager manager) {
        int[] cfg = config(spec.arch());
        boolean cifar = spec.arch() == Arch.VGG16_CIFAR || spec.arch() == Arch.VGG16_BN_CIFAR;
        boolean batchNorm = batchNorm(spec.arch());
        GraphBuilder b = new GraphBuilder(manager);
        String x = Graph.INPUT;
        int in = spec.inChannels();
        int i = 0;
        for (int v : cfg) {
            if (v == 0) {
                x = b.add("features." + i++, Ops.maxPool2d(2, 2, 0), x);
                continue;
            }
            int out = v * spec.width();
            x = b.conv("features." + i++, x, in, out, 3, 1, 1, true);
            if (batchNorm) {
                x = b.bn("features." + i++, x, out);
            }
            x = b.relu("features." + i++, x);
            in = out;
        }
        int hidden = spec.hidden();
        if (cifar) {
            x = b.add("view", Ops.flatten(), x);
            x = b.add("classifier.0", Ops.dropout(0.5f), x);
            x = b.linear("classifier.1", x, spec.linearIn(), hidden, true);
            x = b.relu("classifier.2", x);
            x = b.add("classifier.3", Ops.dropout(0.5f), x);
            x = b.linear("classifier.4", x, hidden, hidden, true);
            x = b.relu("classifier.5", x);
        } else {
            x = b.add("avgpool", Ops.adaptiveAvgPool2d(7), x);
            x = b.add("flatten", Ops.flatten(), x);
            x = b.linear("classifier.0", x, in * 49, hidden, true);
            x = b.relu("classifier.1", x);
            x = b.add("classifier.2", Ops.dropout(0.5f), x);
            x = b.linear("classifier.3", x, hidden, hidden, true);
            x = b.relu("classifier.4", x);
            x = b.add("classifier.5", Ops.dropout(0.5f), x);
        }
        x = b.linear("classifier.6", x, hidden, spec.numClasses(), true);
        return b.build(x);
    }
}
