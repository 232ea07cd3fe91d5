package io.lac4j.models;

import ai.djl.ndarray.NDManager;
import io.lac4j.nn.Graph;
import io.lac4j.nn.GraphBuilder;
import io.lac4j.nn.Ops;

/**
 * VGG-16 (configuration "D") with PyTorch state_dict names. Both layouts share {@code features}:
 * 13 conv 3×3 (pad 1, bias) each followed by {@code BatchNorm2d} (the {@code _bn} variants) and
 * ReLU, with a 2×2 max pool after each of the five stages; every module is one node named by its
 * index ({@code features.0}, {@code features.1}, ...). Channels are {@code width × [1,1,2,2,4,4,4,
 * 8,8,8,8,8,8]} (width 64 in the paper nets).
 *
 * <ul>
 *   <li>torchvision ({@link Arch#VGG16}, {@link Arch#VGG16_BN}): {@code avgpool}
 *       (AdaptiveAvgPool2d 7×7) → {@code flatten} → {@code classifier.0} Linear(8w·49, hidden),
 *       {@code .1} ReLU, {@code .2} Dropout, {@code .3} Linear(hidden, hidden), {@code .4} ReLU,
 *       {@code .5} Dropout, {@code .6} Linear(hidden, classes); hidden 4096.
 *   <li>Qu-ANTI-zation CIFAR ({@link Arch#VGG16_CIFAR}, {@link Arch#VGG16_BN_CIFAR};
 *       {@code networks/vgg.py}): no average pool; {@code view} → {@code classifier.0} Dropout,
 *       {@code .1} Linear(linear_in, hidden), {@code .2} ReLU, {@code .3} Dropout, {@code .4}
 *       Linear, {@code .5} ReLU, {@code .6} Linear; hidden 512, linear_in 512 at 32 px (1×1 maps)
 *       and 2048 at 64 px.
 * </ul>
 */
public final class Vgg {
    /** Channel multipliers of configuration "D"; 0 marks a max pool. */
    private static final int[] CFG_D = {1, 1, 0, 2, 2, 0, 4, 4, 4, 0, 8, 8, 8, 0, 8, 8, 8, 0};

    private Vgg() {}

    public static Graph vgg16(ModelSpec spec, NDManager manager) {
        boolean cifar;
        boolean batchNorm;
        switch (spec.arch()) {
            case VGG16 -> { cifar = false; batchNorm = false; }
            case VGG16_BN -> { cifar = false; batchNorm = true; }
            case VGG16_CIFAR -> { cifar = true; batchNorm = false; }
            case VGG16_BN_CIFAR -> { cifar = true; batchNorm = true; }
            default -> throw new IllegalArgumentException("not a VGG-16: " + spec.arch());
        }
        GraphBuilder b = new GraphBuilder(manager);
        String x = Graph.INPUT;
        int in = spec.inChannels();
        int i = 0;
        for (int v : CFG_D) {
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
