package io.lac4j.pipeline;

import ai.djl.ndarray.NDManager;
import io.lac4j.data.CalibrationList;
import io.lac4j.engine.Progress;
import io.lac4j.eval.BackdoorEvaluator;
import io.lac4j.eval.EvalSets;
import io.lac4j.eval.PhaseMetrics;
import io.lac4j.quant.FakeQuantizer;
import io.lac4j.quant.PrepareOptions;
import io.lac4j.quant.QParams;
import io.lac4j.quant.QuantConfig;
import io.lac4j.quant.QuantizedModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The exported checkpoint of a defended model quantized again, as a user who hands lac4j's {@code .pth} to their
 * own PTQ would ({@code defend --requantize-check}): loaded like any checkpoint, calibrated with the defense's
 * quantizer on the run's own activation calibration list, evaluated. The {@code .pth} holds on-grid weights, so the
 * weights come out the same; the activation ranges need not, because the calibration now sees the activations of
 * the on-grid weights rather than those of the weights the defense kept in full precision. The ratio of every
 * per-tensor activation scale to the defended model's says how far the ranges moved.
 */
final class Requantization {
    private Requantization() {}

    /**
     * @param scaleRatioMin / scaleRatioMedian / scaleRatioMax over the per-tensor activation quantizers: the
     *     requantized scale over the defended model's
     */
    record Result(PhaseMetrics metrics, double scaleRatioMin, double scaleRatioMedian, double scaleRatioMax) {}

    /** {@code exported} (the defended model's {@code .pth}) requantized and evaluated; time goes to "requantize_check". */
    static Result run(Path exported, ModelSource original, QuantizedModel defended, QuantConfig quantizer,
                      PrepareOptions prepare, CalibrationList activation, EvalSets sets, NDManager parent,
                      Progress progress, String phase, Map<String, Double> timings) {
        long t0 = System.nanoTime();
        ModelSource src = new ModelSource(exported, original.arch(), false, "--requantize-check");
        try (NDManager scope = parent.newSubManager();
             LoadedModel m = Loading.model(src, scope);
             QuantizedModel qm = PtqStages.prepareAndCalibrate(m.graph(), quantizer, prepare, activation, scope, progress)) {
            PhaseMetrics metrics = BackdoorEvaluator.evaluate(qm::forward, sets, scope, progress, phase + ", requantized");
            List<Double> ratios = scaleRatios(qm.activationQuantizers(), defended.activationQuantizers(), exported);
            timings.merge("requantize_check", (System.nanoTime() - t0) / 1e9, Double::sum);
            return new Result(metrics, ratios.get(0), median(ratios), ratios.get(ratios.size() - 1));
        }
    }

    /** Requantized over defended scale of every per-tensor activation quantizer both models have, sorted. */
    static List<Double> scaleRatios(Map<String, FakeQuantizer> requantized, Map<String, FakeQuantizer> defended, Path file) {
        List<Double> out = new ArrayList<>();
        for (Map.Entry<String, FakeQuantizer> e : defended.entrySet()) {
            FakeQuantizer again = requantized.get(e.getKey());
            QParams before = e.getValue().qparams();
            if (again == null) {
                throw new IllegalStateException(file + ": requantized model has no activation quantizer " + e.getKey());
            }
            if (before.perChannel() || again.qparams().perChannel()) {
                continue;
            }
            out.add((double) again.qparams().scale(0) / before.scale(0));
        }
        if (out.isEmpty()) {
            throw new IllegalStateException(file + ": no per-tensor activation quantizer to compare");
        }
        Collections.sort(out);
        return out;
    }

    static double median(List<Double> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
