package io.lac4j.attack;

import ai.djl.ndarray.NDArray;
import io.lac4j.nn.Graph;
import io.lac4j.quant.PqBackdoorQuantizer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * PQBackdoor's stage-2 projection (ATTACKS.md §3.3), applied after every optimizer step so that
 * int8 PTQ with nearest rounding maps the repaired model back onto the stage-1 model θ_b:
 *
 * <ul>
 *   <li>1-D tensors (biases, BN γ/β): reset to θ_b;
 *   <li>2-D / 4-D tensors: the element(s) with {@code |W_b| = max} of their output channel or of the
 *       whole tensor are reset to W_b (so every per-channel and per-tensor {@code max|W|}, hence
 *       every PTQ scale, is unchanged); every other element is clamped into its per-channel bin
 *       {@code [(r_c − 0.5 + e)·s_c, (r_c + 0.5 − e)·s_c]} with {@code s_c = max_c|W_b|/127.5}, {@code
 *       r_c = rne(W_b/s_c)}, and into the per-tensor bin (same with {@code s = max|W_b|/127.5}), and
 *       into {@code [−max_c, max_c]}.
 * </ul>
 *
 * The reference applies the per-channel and the per-tensor clamp one after the other; here the
 * element is clamped into their intersection, which is the same whenever the second clamp keeps
 * the first one's result (the usual case) and otherwise cannot undo it. Where the intersection is
 * empty (W_b within e of a bin edge in both grids) the element is reset to W_b. So {@code
 * rne(W/s_c) = rne(W_b/s_c)} and {@code rne(W/s) = rne(W_b/s)} hold for every element, exactly in
 * float32. All arithmetic runs on Java float arrays (exact and deterministic).
 */
public final class PqProjection {
    /** The reference's margin e (in quantization steps). */
    public static final float MARGIN = 1e-3f;
    /** PyTorch's symmetric int8 weight step divisor {@code (127 − (−128))/2}. */
    public static final float HALF_LEVELS = PqBackdoorQuantizer.halfLevels(8);

    private final Map<String, float[]> base = new LinkedHashMap<>();
    private final Map<String, long[]> shapes = new LinkedHashMap<>();
    private final float margin;
    private final float halfLevels;

    /** Captures θ_b = the graph's current parameters, with the bins of {@code bits}-bit symmetric weights. */
    public PqProjection(Graph g, float margin, int bits) {
        this.margin = margin;
        this.halfLevels = PqBackdoorQuantizer.halfLevels(bits);
        for (Map.Entry<String, NDArray> e : g.parameters().entrySet()) {
            base.put(e.getKey(), e.getValue().toFloatArray());
            shapes.put(e.getKey(), e.getValue().getShape().getShape());
        }
    }

    /** Projects every parameter of {@code g} in place (no autograd must be recording). */
    public void apply(Graph g) {
        for (Map.Entry<String, NDArray> e : g.parameters().entrySet()) {
            float[] wb = base.get(e.getKey());
            if (wb == null) {
                continue;
            }
            NDArray p = e.getValue();
            float[] w = p.toFloatArray();
            project(w, wb, shapes.get(e.getKey()), margin, halfLevels);
            p.set(w);
        }
    }

    /** Projects {@code w} (modified in place) onto the int8 constraints set by {@code wb}. */
    public static void project(float[] w, float[] wb, long[] shape, float margin) {
        project(w, wb, shape, margin, HALF_LEVELS);
    }

    /** The same with step divisor {@code halfLevels} ((2^b − 1)/2 for b-bit weights). */
    public static void project(float[] w, float[] wb, long[] shape, float margin, float halfLevels) {
        if (w.length != wb.length) {
            throw new IllegalArgumentException("projection: expected " + wb.length + " values, got " + w.length);
        }
        if (shape.length != 2 && shape.length != 4) {
            System.arraycopy(wb, 0, w, 0, w.length);
            return;
        }
        int channels = (int) shape[0];
        int per = channels == 0 ? 0 : w.length / channels;
        float tensorMax = 0f;
        float[] channelMax = new float[channels];
        for (int c = 0; c < channels; c++) {
            float m = 0f;
            for (int i = c * per; i < (c + 1) * per; i++) {
                m = Math.max(m, Math.abs(wb[i]));
            }
            channelMax[c] = m;
            tensorMax = Math.max(tensorMax, m);
        }
        float st = tensorMax / halfLevels;
        for (int c = 0; c < channels; c++) {
            float mc = channelMax[c];
            float sc = mc / halfLevels;
            for (int i = c * per; i < (c + 1) * per; i++) {
                float a = Math.abs(wb[i]);
                if (a == mc || a == tensorMax) {
                    w[i] = wb[i];
                    continue;
                }
                float rc = (float) Math.rint(wb[i] / sc);
                float rt = (float) Math.rint(wb[i] / st);
                float lo = Math.max(-mc, Math.max((rc - 0.5f + margin) * sc, (rt - 0.5f + margin) * st));
                float hi = Math.min(mc, Math.min((rc + 0.5f - margin) * sc, (rt + 0.5f - margin) * st));
                float v = Float.isNaN(w[i]) ? wb[i] : w[i];
                w[i] = lo <= hi ? Math.min(hi, Math.max(lo, v)) : wb[i];
            }
        }
    }
}
