package io.lac4j.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.lac4j.data.DataView;
import io.lac4j.engine.Progress;
import io.lac4j.nn.Graph;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Drift diagnostic: how far a quantized model's activations move away from the FP model's, layer
 * by layer. At each point the relative L2 distance {@code ‖a_q − a_fp‖ / ‖a_fp‖} is computed per
 * image (over all of that image's values) and averaged over the images. Both models see the same
 * inputs; a quantization-conditioned backdoor shows much larger drift on triggered inputs than on
 * clean ones in deep layers (see {@link DriftVerdict}).
 *
 * <p>Images whose FP activation at a point is exactly zero are left out of that point's mean
 * (their relative distance is undefined); a point where every image is zero reports 0.
 */
public final class ActivationDrift {
    private ActivationDrift() {}

    /**
     * Where to compare: the FP graph's node and the quantized graph's node holding the same
     * (quantized) activation.
     */
    public record Point(String layer, String fpNode, String quantNode, int bits) {}

    /**
     * The drift profile of {@code quantized} against {@code fp} on the first {@code images} images
     * of {@code sets}' clean view and, with a trigger, of its triggered view (the same images with
     * the trigger applied).
     */
    public static DriftProfile profile(String phase, Graph fp, Graph quantized, List<Point> points, EvalSets sets,
                                       int images, NDManager parent, Progress progress) {
        int n = Math.min(images, sets.clean().size());
        double[] clean = measure(fp, quantized, points, sets.clean(), n, sets.batchSize(), parent, progress,
                "drift " + phase + "/clean");
        double[] trig = sets.hasTrigger()
                ? measure(fp, quantized, points, sets.triggered(), n, sets.batchSize(), parent, progress,
                        "drift " + phase + "/triggered")
                : null;
        List<LayerDrift> layers = new ArrayList<>(points.size());
        for (int i = 0; i < points.size(); i++) {
            Point p = points.get(i);
            layers.add(new LayerDrift(p.layer(), p.quantNode(), p.bits(), clean[i], trig == null ? null : trig[i]));
        }
        return new DriftProfile(phase, n, layers);
    }

    /**
     * Mean per-image relative L2 distance at each point over the first {@code images} images of
     * {@code view}; one value per point, in the order given.
     */
    public static double[] measure(Graph fp, Graph quantized, List<Point> points, DataView view, int images,
                                   int batchSize, NDManager parent, Progress progress, String task) {
        if (points.isEmpty()) {
            throw new IllegalArgumentException("drift: expected at least one quantization point, got none");
        }
        int n = Math.min(images, view.size());
        if (n <= 0) {
            throw new IllegalArgumentException(view.name() + ": drift: expected images > 0, got " + images);
        }
        Set<String> fpTaps = new LinkedHashSet<>();
        Set<String> qTaps = new LinkedHashSet<>();
        for (Point p : points) {
            fpTaps.add(p.fpNode());
            qTaps.add(p.quantNode());
        }
        String fpStop = last(fp, fpTaps);
        String qStop = last(quantized, qTaps);
        double[] sum = new double[points.size()];
        long[] count = new long[points.size()];
        int batches = (n + batchSize - 1) / batchSize;
        for (int b = 0; b < batches; b++) {
            int from = b * batchSize;
            int to = Math.min(n, from + batchSize);
            try (NDManager step = parent.newSubManager()) {
                NDArray x = view.batch(from, to, step).images();
                Map<String, NDArray> a = fp.forward(x, fpTaps, fpStop);
                Map<String, NDArray> q = quantized.forward(x, qTaps, qStop);
                for (int i = 0; i < points.size(); i++) {
                    Point p = points.get(i);
                    NDArray af = require(a, p.fpNode(), "FP");
                    NDArray aq = require(q, p.quantNode(), "quantized");
                    if (!af.getShape().equals(aq.getShape())) {
                        throw new IllegalStateException("drift at '" + p.layer() + "': FP shape " + af.getShape()
                                + " differs from quantized shape " + aq.getShape());
                    }
                    long rows = af.getShape().get(0);
                    NDArray f = af.reshape(rows, -1);       // per-image norms: one axis only (DJL multi-axis sums)
                    float[] num = aq.reshape(rows, -1).sub(f).square().sum(new int[] {1}).sqrt().toFloatArray();
                    float[] den = f.square().sum(new int[] {1}).sqrt().toFloatArray();
                    for (int r = 0; r < num.length; r++) {
                        if (den[r] > 0) {
                            sum[i] += num[r] / den[r];
                            count[i]++;
                        }
                    }
                }
            }
            progress.step(task, b + 1, batches, "");
        }
        double[] mean = new double[points.size()];
        for (int i = 0; i < mean.length; i++) {
            mean[i] = count[i] == 0 ? 0 : sum[i] / count[i];
        }
        return mean;
    }

    private static NDArray require(Map<String, NDArray> taps, String node, String which) {
        NDArray v = taps.get(node);
        if (v == null) {
            throw new IllegalArgumentException("drift: the " + which + " graph has no node '" + node + "'");
        }
        return v;
    }

    /** The tapped node that runs last, so the forward can stop there. */
    private static String last(Graph g, Set<String> taps) {
        String last = null;
        int at = -2;
        for (String t : taps) {
            int i = t.equals(Graph.INPUT) ? -1 : g.indexOf(t);
            if (i == -1 && !t.equals(Graph.INPUT)) {
                throw new IllegalArgumentException("drift: the graph has no node '" + t + "'");
            }
            if (i > at) {
                at = i;
                last = t;
            }
        }
        return last;
    }
}
