package io.lac4j.defense;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.lac4j.nn.Graph;
import io.lac4j.quant.FakeQuantizer;
import io.lac4j.quant.QuantizedModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * QVec (Yang, Tsai, Yu, arXiv 2606.20254, 2026): the difference between a model's quantized and FP
 * weights, {@code τ = Q(θ) − θ}, is read as a malicious task vector and subtracted before
 * deployment, {@code θ' = θ − λ·τ}; θ' is then quantized naively, in one quantization pass. Data-free
 * apart from choosing λ. The paper's abstract gives no rule for λ and its full text was not
 * reachable, so λ is chosen here by a small search on the clean calibration images: the largest
 * λ on {@link #LAMBDAS} whose quantized model keeps clean accuracy within {@link #TOLERANCE} points
 * of the FP model's on those images (subtracting more of τ is the defense; clean accuracy is what
 * bounds it); if none does, the most accurate. λ, and every candidate's accuracy, go to results.json.
 */
public final class QVec implements Defense {
    /** The λ grid searched, ascending. */
    static final double[] LAMBDAS = {0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0};
    /** Clean-accuracy points a λ may cost on the calibration images. */
    static final double TOLERANCE = 1.0;

    @Override
    public String name() {
        return "qvec";
    }

    @Override
    public String phase() {
        return "qvec";
    }

    @Override
    public String description() {
        return "QVec: subtract the quantization task vector λ·(Q(θ) − θ) before naive PTQ (λ by a clean-data search)";
    }

    @Override
    public Defended apply(DefenseContext ctx) {
        long t0 = System.nanoTime();
        try (NDManager scope = ctx.manager().newSubManager()) {
            List<NDArray> images = ctx.calibration().reconstruction().batches(scope);
            int[] labels = ctx.calibrationLabels();
            Map<String, NDArray> tau = taskVector(ctx.calibrated(), ctx.fp(), scope);
            double fpAccuracy = CalibrationAccuracy.of(ctx.fp()::forward, images, labels, scope);
            double best = Double.NEGATIVE_INFINITY;
            double chosen = LAMBDAS[0];
            double bestLambda = LAMBDAS[0];
            List<Map<String, Object>> tried = new ArrayList<>();
            for (double lambda : LAMBDAS) {
                double acc;
                try (NDManager trial = scope.newSubManager(); QuantizedModel qm = corrected(ctx, tau, lambda, trial)) {
                    acc = CalibrationAccuracy.of(qm::forward, images, labels, trial);
                }
                tried.add(Map.of("lambda", lambda, "calibration_accuracy", acc));
                if (acc >= fpAccuracy - TOLERANCE) {
                    chosen = lambda;
                }
                if (acc > best) {
                    best = acc;
                    bestLambda = lambda;
                }
            }
            double lambda = tried.stream().anyMatch(t -> (double) t.get("calibration_accuracy") >= fpAccuracy - TOLERANCE)
                    ? chosen : bestLambda;
            Map<String, Object> facts = new LinkedHashMap<>();
            facts.put("lambda", lambda);
            facts.put("fp_calibration_accuracy", fpAccuracy);
            facts.put("candidates", tried);
            ctx.facts().put("qvec", facts);
            QuantizedModel defended = corrected(ctx, tau, lambda, ctx.manager());
            ctx.timings().put("qvec_search", (System.nanoTime() - t0) / 1e9);
            return Defended.of(defended);
        }
    }

    /** {@code τ = Q(θ) − θ} per quantized layer, from the calibrated naive model's weight quantizers. */
    private static Map<String, NDArray> taskVector(QuantizedModel naive, Graph fp, NDManager scope) {
        Map<String, NDArray> tau = new LinkedHashMap<>();
        for (Map.Entry<String, FakeQuantizer> e : naive.weightQuantizers().entrySet()) {
            NDArray w = fp.tensor(e.getKey() + ".weight");
            try (NDArray q = e.getValue().hardValue(w)) {
                NDArray d = q.sub(w);
                d.attach(scope);
                tau.put(e.getKey(), d);
            }
        }
        return tau;
    }

    /** A copy of the FP model moved by {@code −λ·τ}, quantized and calibrated like the naive model. */
    private static QuantizedModel corrected(DefenseContext ctx, Map<String, NDArray> tau, double lambda, NDManager parent) {
        try (Graph g = ctx.fp().copy(parent)) {
            for (Map.Entry<String, NDArray> e : tau.entrySet()) {
                NDArray w = g.tensor(e.getKey() + ".weight");
                try (NDArray step = e.getValue().mul((float) lambda)) {
                    w.subi(step);
                }
            }
            return ctx.quantize(g);
        }
    }
}
