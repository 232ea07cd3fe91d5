package io.lac4j.models;

import ai.djl.ndarray.NDManager;
import io.lac4j.nn.Graph;
import io.lac4j.nn.GraphBuilder;
import io.lac4j.nn.Ops;

/**
 * ResNets with PyTorch state_dict names: the CIFAR layout of Qu-ANTI-zation / CompArtifact / LAC
 * ({@code conv1, bn1, layerN.M.*, shortcut.0/1, linear}; 3×3 stem, {@code avg_pool2d(out, 4)})
 * and torchvision's ({@code conv1, bn1, layerN.M.*, downsample.0/1, fc}; 7×7 stem + maxpool,
 * adaptive average pool). Nodes are added in the order torch.fx traces them.
 */
public final class ResNets {
    private ResNets() {}

    /** CIFAR ResNet-18 ({@code setting/model/resnet.py}). */
    public static Graph cifarResNet18(ModelSpec spec, NDManager manager) {
        GraphBuilder b = new GraphBuilder(manager);
        int w = spec.width();
        String x = b.conv("conv1", Graph.INPUT, spec.inChannels(), w, 3, 1, 1, false);
        x = b.bn("bn1", x, w);
        x = b.relu("relu", x);
        int in = w;
        int[] planes = {w, 2 * w, 4 * w, 8 * w};
        for (int layer = 0; layer < 4; layer++) {
            for (int blk = 0; blk < 2; blk++) {
                int stride = layer > 0 && blk == 0 ? 2 : 1;
                x = basicBlock(b, "layer" + (layer + 1) + "." + blk, x, in, planes[layer], stride, "shortcut");
                in = planes[layer];
            }
        }
        x = b.add("avg_pool2d", Ops.avgPool2d(4, 4, 0), x);
        x = b.add("view", Ops.flatten(), x);
        x = b.linear("linear", x, spec.linearIn(), spec.numClasses(), true);
        return b.build(x);
    }

    /**
     * BackdoorBench's PreActResNet18: {@code conv1} (3×3, no BN) → four stages of two pre-activation
     * blocks → adaptive average pool → {@code linear}. A block is {@code relu(bn1(x))} → (its 1×1
     * {@code shortcut.0} conv on that, where the shape changes, else x) + {@code conv2(relu(bn2(conv1(·))))};
     * no ReLU after the add, none before the pool.
     */
    public static Graph preActResNet18(ModelSpec spec, NDManager manager) {
        GraphBuilder b = new GraphBuilder(manager);
        int w = spec.width();
        String x = b.conv("conv1", Graph.INPUT, spec.inChannels(), w, 3, 1, 1, false);
        int in = w;
        for (int layer = 0; layer < 4; layer++) {
            int planes = w << layer;
            for (int blk = 0; blk < 2; blk++) {
                int stride = layer > 0 && blk == 0 ? 2 : 1;
                x = preActBlock(b, "layer" + (layer + 1) + "." + blk, x, in, planes, stride);
                in = planes;
            }
        }
        x = b.add("avgpool", Ops.adaptiveAvgPool2d(1), x);
        x = b.add("view", Ops.flatten(), x);
        x = b.linear("linear", x, in, spec.numClasses(), true);
        return b.build(x);
    }

    private static String preActBlock(GraphBuilder b, String p, String x, int in, int planes, int stride) {
        String a = b.bn(p + ".bn1", x, in);
        a = b.relu(p + ".relu", a);
        String shortcut = x;
        if (stride != 1 || in != planes) {
            shortcut = b.conv(p + ".shortcut.0", a, in, planes, 1, stride, 0, false);
        }
        String y = b.conv(p + ".conv1", a, in, planes, 3, stride, 1, false);
        y = b.bn(p + ".bn2", y, planes);
        y = b.relu(p + ".relu_1", y);
        y = b.conv(p + ".conv2", y, planes, planes, 3, 1, 1, false);
        return b.addResidual(p + ".add", y, shortcut);
    }

    /** torchvision ResNet-18/34 (BasicBlock) or ResNet-50/101/152 (Bottleneck). */
    public static Graph torchvision(ModelSpec spec, NDManager manager) {
        int[] blocks;
        boolean bottleneck = false;
        switch (spec.arch()) {
            case RESNET18 -> blocks = new int[] {2, 2, 2, 2};
            case RESNET34 -> blocks = new int[] {3, 4, 6, 3};
            case RESNET50 -> {
                blocks = new int[] {3, 4, 6, 3};
                bottleneck = true;
            }
            case RESNET101 -> {
                blocks = new int[] {3, 4, 23, 3};
                bottleneck = true;
            }
            case RESNET152 -> {
                blocks = new int[] {3, 8, 36, 3};
                bottleneck = true;
            }
            default -> throw new IllegalArgumentException("not a torchvision ResNet: " + spec.arch());
        }
        GraphBuilder b = new GraphBuilder(manager);
        int w = spec.width();
        String x = b.conv("conv1", Graph.INPUT, spec.inChannels(), w, 7, 2, 3, false);
        x = b.bn("bn1", x, w);
        x = b.relu("relu", x);
        x = b.add("maxpool", Ops.maxPool2d(3, 2, 1), x);
        int in = w;
        int expansion = bottleneck ? 4 : 1;
        for (int layer = 0; layer < 4; layer++) {
            int planes = w << layer;
            for (int blk = 0; blk < blocks[layer]; blk++) {
                int stride = layer > 0 && blk == 0 ? 2 : 1;
                String prefix = "layer" + (layer + 1) + "." + blk;
                x = bottleneck
                        ? bottleneckBlock(b, prefix, x, in, planes, stride)
                        : basicBlock(b, prefix, x, in, planes, stride, "downsample");
                in = planes * expansion;
            }
        }
        x = b.add("avgpool", Ops.adaptiveAvgPool2d(1), x);
        x = b.add("flatten", Ops.flatten(), x);
        x = b.linear("fc", x, in, spec.numClasses(), true);
        return b.build(x);
    }

    private static String basicBlock(GraphBuilder b, String p, String x, int in, int planes, int stride, String sc) {
        String y = b.conv(p + ".conv1", x, in, planes, 3, stride, 1, false);
        y = b.bn(p + ".bn1", y, planes);
        y = b.relu(p + ".relu", y);
        y = b.conv(p + ".conv2", y, planes, planes, 3, 1, 1, false);
        y = b.bn(p + ".bn2", y, planes);
        String shortcut = x;
        if (stride != 1 || in != planes) {
            shortcut = b.conv(p + "." + sc + ".0", x, in, planes, 1, stride, 0, false);
            shortcut = b.bn(p + "." + sc + ".1", shortcut, planes);
        }
        y = b.addResidual(p + ".add", y, shortcut);
        return b.relu(p + ".relu_1", y);
    }

    private static String bottleneckBlock(GraphBuilder b, String p, String x, int in, int planes, int stride) {
        int out = planes * 4;
        String y = b.conv(p + ".conv1", x, in, planes, 1, 1, 0, false);
        y = b.bn(p + ".bn1", y, planes);
        y = b.relu(p + ".relu", y);
        y = b.conv(p + ".conv2", y, planes, planes, 3, stride, 1, false);
        y = b.bn(p + ".bn2", y, planes);
        y = b.relu(p + ".relu_1", y);
        y = b.conv(p + ".conv3", y, planes, out, 1, 1, 0, false);
        y = b.bn(p + ".bn3", y, out);
        String shortcut = x;
        if (stride != 1 || in != out) {
            shortcut = b.conv(p + ".downsample.0", x, in, out, 1, stride, 0, false);
            shortcut = b.bn(p + ".downsample.1", shortcut, out);
        }
        y = b.addResidual(p + ".add", y, shortcut);
        return b.relu(p + ".relu_2", y);
    }
}
