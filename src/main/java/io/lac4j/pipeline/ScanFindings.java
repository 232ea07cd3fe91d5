package io.lac4j.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.lac4j.data.Normalization;
import io.lac4j.engine.Progress;
import io.lac4j.nn.Graph;
import io.lac4j.quant.QuantizedModel;
import io.lac4j.scan.ClassScore;
import io.lac4j.scan.RecoveredTrigger;
import io.lac4j.scan.ScanConfig;
import io.lac4j.scan.ScanResult;
import io.lac4j.scan.Scanner;
import io.lac4j.data.CalibrationList;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A run's trigger-free scan: the scan of its naive quantized model and, for every model the run
 * defended, the trigger-free residual — the flip rate of the scan's suspect pattern on that model.
 */
final class ScanFindings {
    private final ScanConfig config;
    private final Normalization norm;
    private ScanResult result;
    private double seconds;
    private final Map<String, Double> residuals = new LinkedHashMap<>();
    private final Map<String, String> images = new LinkedHashMap<>();

    ScanFindings(ScanConfig config, Normalization norm) {
        this.config = config;
        this.norm = norm;
    }

    /**
     * Scans a quantized model (the run's naive one, or a defended one read back) on the activation
     * calibration images (no labels, no trigger); its own flip rate is recorded under {@code phase}.
     */
    void scan(String phase, Graph fp, QuantizedModel naive, CalibrationList clean, int classes, long seed, NDManager run,
              Progress progress, Path outputDir,
              java.util.function.Function<java.util.function.Supplier<ScanResult>, ScanResult> reuse) {
        long t0 = System.nanoTime();
        result = reuse.apply(() -> Scanner.scan(fp::forward, naive::forward, clean.concatenated(), clean.imageShape(), classes, norm,
                config, io.lac4j.engine.Seeds.forStage(seed, "scan"), progress, run));
        residuals.put(phase, result.suspectFlipQuantized() * 100);
        if (outputDir != null) {
            images.putAll(ScanImages.write(result, outputDir));
        }
        seconds = (System.nanoTime() - t0) / 1e9;
    }

    /** The suspect pattern's flip rate on a defended model, recorded under its phase. */
    void residual(String phase, UnaryOperator<NDArray> model, NDManager run) {
        if (result != null) {
            residuals.put(phase, Scanner.residual(model, result, result.suspect(), norm, run) * 100);
        }
    }

    double seconds() {
        return seconds;
    }

    ScanConfig config() {
        return config;
    }

    /** results.json's {@code scan} section. */
    ResultDocument.ScanSection section() {
        if (result == null) {
            return null;
        }
        List<ResultDocument.ScanClass> classes = new ArrayList<>();
        ScanResult.DrawChoice draws = result.draws();
        for (ClassScore c : result.classes()) {
            List<Double> drawScores = null;
            if (draws != null) {
                drawScores = new ArrayList<>();
                for (double v : draws.scores()[c.cls()]) {
                    drawScores.add(pct(v));
                }
            }
            classes.add(new ResultDocument.ScanClass(c.cls(), pct(c.score()), Results.round(c.anomalyIndex()),
                    pct(c.flipQuantized()), pct(c.flipFp()), pct(c.fpOnlyFlip()), pct(c.fpOnlyFlipQuantized()),
                    Results.round(c.fpOnlyAnomalyIndex()), pct(c.area()), draws == null ? null : draws.kept()[c.cls()] + 1,
                    drawScores));
        }
        RecoveredTrigger s = result.suspect();
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("steps", config.steps());
        settings.put("draws", config.draws());
        settings.put("second_look", config.secondLook());
        settings.put("refine_steps", config.refineSteps());
        settings.put("refine_batch", config.refineBatch());
        settings.put("refine_select_every", config.refineSelectEvery());
        settings.put("refine_fp_margin", config.refineFpMargin());
        settings.put("refine_budget", config.refineBudget());
        settings.put("batch_per_class", config.batchPerClass());
        settings.put("budget", config.budget());
        settings.put("fp_only_budget", config.fpOnlyBudget());
        settings.put("fp_weight", config.fpWeight());
        settings.put("lr", config.lr());
        settings.put("anomaly", config.anomaly());
        settings.put("min_flip", config.minFlip());
        settings.put("max_fp_flip", config.maxFpFlip());
        Map<String, Double> res = new LinkedHashMap<>();
        residuals.forEach((k, v) -> res.put(k, Results.round(v)));
        ResultDocument.ScanRefined refined = refined(result.refined());
        Integer lean = result.verdict().fpLean();
        ResultDocument.ScanFpLean fpLean = lean == null ? null : new ResultDocument.ScanFpLean(lean,
                pct(result.classes().get(lean).fpOnlyFlip()), pct(result.classes().get(lean).fpOnlyFlipQuantized()));
        Map<String, Double> phases = new LinkedHashMap<>();
        result.phaseSeconds().forEach((k, v) -> phases.put(k, Results.round(v)));
        return new ResultDocument.ScanSection(result.verdict().text(), result.verdict().kind().name().toLowerCase(java.util.Locale.ROOT),
                result.verdict().target(), fpLean, s.targetClass(), classes, refined, result.optimisationImages(),
                result.heldOutReference().length, res, images.isEmpty() ? null : new LinkedHashMap<>(images), settings,
                Results.round(seconds), phases, refined(result.secondLook()));
    }

    private static ResultDocument.ScanRefined refined(ScanResult.Refined r) {
        return r == null ? null : new ResultDocument.ScanRefined(r.trigger().targetClass(), pct(r.flipQuantized()),
                pct(r.flipFp()), pct(r.trigger().area()), r.steps(), r.selectedStep());
    }

    private static double pct(double f) {
        return Results.round(f * 100);
    }
}
