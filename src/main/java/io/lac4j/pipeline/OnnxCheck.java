package io.lac4j.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.lac4j.deploy.OnnxRuntimeModel;
import io.lac4j.engine.Progress;
import io.lac4j.eval.BackdoorEvaluator;
import io.lac4j.eval.PhaseMetrics;
import io.lac4j.eval.Predictions;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * Proof that the runtime a user ships gives the numbers lac4j printed: a run's ONNX export is
 * evaluated in ONNX Runtime on the same images, and every image's top-1 class is compared with
 * lac4j's evaluation of the same quantized model.
 */
final class OnnxCheck {
    private OnnxCheck() {}

    /**
     * @param lac4jMetrics / lac4jPredictions lac4j's evaluation of the exported model; when the
     *     predictions are null or empty (a baseline reused from an earlier run) it is evaluated again
     */
    static ResultDocument.OnnxCheck run(Path onnx, UnaryOperator<NDArray> lac4j, PhaseMetrics lac4jMetrics,
                                        Predictions lac4jPredictions, LoadedData d, NDManager run, Progress progress) {
        Predictions ours = lac4jPredictions;
        PhaseMetrics ourMetrics = lac4jMetrics;
        if (ours == null || ours.isEmpty() || ourMetrics == null) {
            ours = new Predictions();
            ourMetrics = BackdoorEvaluator.evaluate(lac4j, d.sets(), run, progress, "lac4j", ours);
        }
        Predictions theirs = new Predictions();
        PhaseMetrics ort;
        String runtime;
        try (OnnxRuntimeModel m = OnnxRuntimeModel.open(onnx, 1)) {
            ort = BackdoorEvaluator.evaluate(m::forward, d.sets(), run, progress, OnnxEvaluation.PHASE, theirs);
            runtime = m.runtimeVersion();
        }
        return new ResultDocument.OnnxCheck(onnx.getFileName().toString(), runtime, Results.phase(ort),
                Results.round(largestDifference(ourMetrics, ort)), ours.sizes(), ours.disagreements(theirs),
                OnnxRuntimeModel.optimizedOperators(onnx));
    }

    static double largestDifference(PhaseMetrics a, PhaseMetrics b) {
        double d = Math.abs(a.cda() - b.cda());
        if (a.asrAll() != null && b.asrAll() != null) {
            d = Math.max(d, Math.abs(a.asrAll() - b.asrAll()));
        }
        if (a.asrNt() != null && b.asrNt() != null) {
            d = Math.max(d, Math.abs(a.asrNt() - b.asrNt()));
        }
        return d;
    }
}
