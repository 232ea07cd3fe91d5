package io.lac4j.defense;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.lac4j.nn.BatchNorm2d;
import io.lac4j.nn.Conv2d;
import io.lac4j.nn.Graph;
import io.lac4j.nn.Node;
import io.lac4j.nn.WeightedLayer;
import io.lac4j.quant.Calibration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

/**
 * Throws away what the network's last stage learned: every conv, linear and BatchNorm from the first layer of the
 * stage that holds the last convolution to the output. Weights get Gaussian values with the old tensor's norm and
 * biases zero, BatchNorm affine 1/0 and running statistics measured afresh on clean images. A backdoor that lives
 * in those weights goes with them, whatever ranges or rounding it was trained against; what the stage computed
 * for clean images is learnt again by distillation.
 */
final class LastStageReset {
    private static final Pattern RESNET_STAGE = Pattern.compile("layer\\d+");
    private static final Pattern NUMBERED = Pattern.compile("\\d+");

    private LastStageReset() {}

    /**
     * The stage's name, from the last conv's: a ResNet stage ({@code layer4.1.conv2} → {@code layer4}), else a
     * numbered module of a sequence ({@code features.18.0} → {@code features.18}, {@code features.40} →
     * {@code features.40}), else the conv's top-level module ({@code conv2}).
     */
    static String stageOf(Graph g) {
        Node last = null;
        for (Node n : g.nodes()) {
            if (n.op() instanceof Conv2d) {
                last = n;
            }
        }
        if (last == null) {
            throw new IllegalArgumentException("the model has no convolution: no last stage to reset");
        }
        String[] parts = last.name().split("\\.");
        if (RESNET_STAGE.matcher(parts[0]).matches()) {
            return parts[0];
        }
        if (parts.length >= 2 && NUMBERED.matcher(parts[1]).matches()) {
            return parts[0] + "." + parts[1];
        }
        return parts[0];
    }

    /**
     * The weighted and BatchNorm nodes from the first one of {@code stage} (a module name: {@code layer4}, or one block,
     * {@code layer4.1}) to the end of the graph, in graph order.
     */
    static List<Node> nodes(Graph g, String stage) {
        List<Node> out = new ArrayList<>();
        boolean in = false;
        for (Node n : g.nodes()) {
            in |= n.name().equals(stage) || n.name().startsWith(stage + ".");
            if (in && (n.isWeighted() || n.isBatchNorm())) {
                out.add(n);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no layer belongs to '" + stage + "'");
        }
        return out;
    }

    /**
     * Resets {@code nodes} of {@code g} in place with values drawn from {@code rng}, then measures each BatchNorm's
     * running statistics, in graph order, on {@code batches} clean batches passed through {@code g} as it is (the
     * caller turns quantization off).
     */
    static void reset(Graph g, List<Node> nodes, SplittableRandom rng, int batches, Calibration.BatchSource source,
                      NDManager parent) {
        for (Node n : nodes) {
            if (n.isWeighted()) {
                WeightedLayer w = n.weighted();
                w.weight().set(gaussianWithNorm(w.weight(), rng));
                if (w.bias() != null) {
                    w.bias().set(new float[(int) w.bias().size()]);
                }
            } else {
                BatchNorm2d bn = (BatchNorm2d) n.op();
                float[] ones = new float[bn.features()];
                Arrays.fill(ones, 1f);
                bn.gamma().set(ones);
                bn.beta().set(new float[bn.features()]);
            }
        }
        g.setTraining(false);
        for (Node n : nodes) {
            if (n.isBatchNorm()) {
                BatchNormStatistics.measure(g, n, batches, source, parent);
            }
        }
    }

    private static float[] gaussianWithNorm(NDArray old, SplittableRandom rng) {
        float[] v = old.toFloatArray();
        double oldSq = 0;
        for (float x : v) {
            oldSq += (double) x * x;
        }
        double newSq = 0;
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rng.nextGaussian();
            newSq += (double) v[i] * v[i];
        }
        double scale = newSq == 0 ? 0 : Math.sqrt(oldSq / newSq);
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (v[i] * scale);
        }
        return v;
    }
}
