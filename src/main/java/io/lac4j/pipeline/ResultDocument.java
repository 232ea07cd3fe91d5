package io.lac4j.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The result file every evaluating command writes ({@code results.json}, schema {@value
 * #SCHEMA}). Percentages are 0–100. {@code phases} is ordered: {@code fp}, then {@code
 * naive_ptq}, then {@code purified} (or whatever phases a command ran).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"schema", "command", "model", "data", "quantization", "method", "phases", "der", "onnx_check", "scan", "range_sweep", "requantized", "timings", "settings",
        "provenance"})
public record ResultDocument(
        String schema,
        String command,
        ModelInfo model,
        DataInfo data,
        Map<String, Object> quantization,
        String method,
        Map<String, Phase> phases,
        Double der,
        Map<String, Double> timings,
        Map<String, Object> settings,
        RunProvenance provenance,
        Map<String, OnnxCheck> onnxCheck,
        ScanSection scan,
        Map<String, java.util.List<RangePoint>> rangeSweep,
        Map<String, Requantized> requantized) {
    public static final String SCHEMA = "lac4j.results/1";

    public ResultDocument {
        requantized = requantized == null || requantized.isEmpty() ? null : new LinkedHashMap<>(requantized);
        phases = phases == null ? Map.of() : new LinkedHashMap<>(phases);
        onnxCheck = onnxCheck == null || onnxCheck.isEmpty() ? null : new LinkedHashMap<>(onnxCheck);
        rangeSweep = rangeSweep == null || rangeSweep.isEmpty() ? null : new LinkedHashMap<>(rangeSweep);
    }

    /** A document without a requantization check. */
    public ResultDocument(String schema, String command, ModelInfo model, DataInfo data, Map<String, Object> quantization,
                          String method, Map<String, Phase> phases, Double der, Map<String, Double> timings,
                          Map<String, Object> settings, RunProvenance provenance, Map<String, OnnxCheck> onnxCheck,
                          ScanSection scan, Map<String, java.util.List<RangePoint>> rangeSweep) {
        this(schema, command, model, data, quantization, method, phases, der, timings, settings, provenance, onnxCheck, scan,
                rangeSweep, null);
    }

    /** A document without a range sweep. */
    public ResultDocument(String schema, String command, ModelInfo model, DataInfo data, Map<String, Object> quantization,
                          String method, Map<String, Phase> phases, Double der, Map<String, Double> timings,
                          Map<String, Object> settings, RunProvenance provenance, Map<String, OnnxCheck> onnxCheck,
                          ScanSection scan) {
        this(schema, command, model, data, quantization, method, phases, der, timings, settings, provenance, onnxCheck, scan,
                null);
    }

    /**
     * A defended phase evaluated with every per-tensor activation range scaled by {@code factor} ({@code defend
     * --range-sweep}); percentages as in {@link Phase}.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RangePoint(double factor, double cda, Double asr, Double asrNoTarget) {}

    /**
     * A defended phase's exported checkpoint quantized again on the same calibration images ({@code defend
     * --requantize-check}); the scale ratios are the requantized per-tensor activation scales over the defended
     * model's (min, median, max).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Requantized(double cda, Double asr, Double asrNoTarget, double scaleRatioMin, double scaleRatioMedian,
                              double scaleRatioMax) {}

    /** A document without ONNX checks. */
    public ResultDocument(String schema, String command, ModelInfo model, DataInfo data, Map<String, Object> quantization,
                          String method, Map<String, Phase> phases, Double der, Map<String, Double> timings,
                          Map<String, Object> settings, RunProvenance provenance) {
        this(schema, command, model, data, quantization, method, phases, der, timings, settings, provenance, null, null);
    }

    /** A document without a scan. */
    public ResultDocument(String schema, String command, ModelInfo model, DataInfo data, Map<String, Object> quantization,
                          String method, Map<String, Phase> phases, Double der, Map<String, Double> timings,
                          Map<String, Object> settings, RunProvenance provenance, Map<String, OnnxCheck> onnxCheck) {
        this(schema, command, model, data, quantization, method, phases, der, timings, settings, provenance, onnxCheck, null);
    }

    /** What model was evaluated. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ModelInfo(String checkpoint, String sha256, String arch, String inferred, String loadReport) {}

    /** Which data and which backdoor facts. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DataInfo(String name, String path, String trigger, Integer target, Long nClean, Long nTriggered, Long nNoTarget) {}

    /** Metrics of one phase; {@code top5} is the clean top-5, {@code n} the clean image count. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"cda", "asr", "asr_no_target", "top5", "n", "seconds"})
    public record Phase(double cda, Double asr, Double asrNoTarget, double top5, long n, Double seconds) {}

    /**
     * A phase's ONNX export run in ONNX Runtime on the same images as lac4j's evaluation of it.
     *
     * @param onnxRuntime the metrics ONNX Runtime gives
     * @param largestDifference the largest of |CDA|, |ASR|, |ASR-no-target| differences to lac4j's, in points
     * @param images images per view (clean, triggered, no_target)
     * @param disagreements per view, images whose top-1 class differs between lac4j and ONNX Runtime
     * @param operators operator types and counts ONNX Runtime runs after its graph optimizations
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"file", "runtime", "onnx_runtime", "largest_difference", "images", "disagreements", "operators"})
    public record OnnxCheck(String file, String runtime, Phase onnxRuntime, double largestDifference, Map<String, Integer> images,
                            Map<String, Integer> disagreements, Map<String, Integer> operators) {}

    /**
     * The trigger-free scan of the naive quantized model (lac4j scan, or a run with a scan). Rates and
     * scores in %.
     *
     * @param verdict the verdict line, e.g. {@code QCB suspected (target 3)}
     * @param kind {@code qcb_suspected}, {@code fp_backdoor} or {@code no_qcb}
     * @param target the suspected target class (null: none)
     * @param suspect the class whose pattern stands for the verdict (the top-scoring one when nothing was found)
     * @param residual per phase, the suspect pattern's flip rate on that phase's model ({@code naive_ptq}: the scanned one)
     * @param images recovered-pattern PNG files next to results.json, by role
     * @param refined the verdict's pattern after refinement (null: nothing found or no refinement)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"verdict", "kind", "target", "fp_lean", "suspect", "classes", "refined", "optimisation_images", "held_out_images",
            "residual", "images", "settings", "seconds"})
    public record ScanSection(String verdict, String kind, Integer target, ScanFpLean fpLean, int suspect, java.util.List<ScanClass> classes,
                              ScanRefined refined, int optimisationImages, int heldOutImages, Map<String, Double> residual,
                              Map<String, String> images, Map<String, Object> settings, double seconds,
                              Map<String, Double> phaseSeconds, ScanRefined secondLook) {
        /** Without a second look (the scan's default). */
        public ScanSection(String verdict, String kind, Integer target, ScanFpLean fpLean, int suspect, java.util.List<ScanClass> classes,
                           ScanRefined refined, int optimisationImages, int heldOutImages, Map<String, Double> residual,
                           Map<String, String> images, Map<String, Object> settings, double seconds,
                           Map<String, Double> phaseSeconds) {
            this(verdict, kind, target, fpLean, suspect, classes, refined, optimisationImages, heldOutImages, residual, images,
                    settings, seconds, phaseSeconds, null);
        }

        /** What the second look found, one sentence for the terminal and the reports (null when there was none). */
        public String secondLookNote() {
            if (secondLook == null) {
                return null;
            }
            boolean confirmed = "qcb_suspected".equals(kind) && java.util.Objects.equals(target, secondLook.cls());
            return String.format(java.util.Locale.ROOT, "Second look at class %d (it stands out, but its search pattern fell"
                    + " short of the QCB rule): refined %d steps, it flips %.1f %% of the quantized model's predictions and"
                    + " %.1f %% of the FP model's, %s.", secondLook.cls(), secondLook.steps(), secondLook.flipQuantized(),
                    secondLook.flipFp(), confirmed ? "which meets the rule" : "which does not meet the rule either");
        }

        /**
         * With {@code no QCB found}: the FP checkpoint's lean to a class the scanned quantized model does not follow,
         * one sentence for the terminal and the reports (null when there is none).
         */
        public String fpLeanNote() {
            if (fpLean == null) {
                return null;
            }
            Object minFlip = settings == null ? null : settings.get("min_flip");
            String bar = minFlip instanceof Number n ? String.format(java.util.Locale.ROOT, " (a finding needs %.0f %%)",
                    n.doubleValue() * 100) : "";
            return String.format(java.util.Locale.ROOT, "The FP checkpoint leans to class %d: a pattern found against the FP"
                    + " model alone flips %.1f %% of its predictions, as an FP backdoor's would, but only %.1f %% of the scanned"
                    + " quantized model's%s, so the deployment does not follow it.", fpLean.cls(), fpLean.flipFp(),
                    fpLean.flipQuantized(), bar);
        }
    }

    /**
     * With {@code no QCB found} only: the class the FP checkpoint leans to (its FP-only pattern stands out and flips
     * {@code flipFp} % of the FP model, as an FP backdoor's would) while the scanned quantized model follows that
     * pattern on only {@code flipQuantized} %, below the flip a finding needs.
     */
    public record ScanFpLean(@com.fasterxml.jackson.annotation.JsonProperty("class") int cls, double flipFp, double flipQuantized) {}

    /**
     * The verdict's pattern after the refinement steps: its flip rates (%) on the held-out images and mask area (%).
     *
     * @param selectedStep the step whose pattern was kept (null in files written before it was recorded)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ScanRefined(@com.fasterxml.jackson.annotation.JsonProperty("class") int cls, double flipQuantized,
                              double flipFp, double area, int steps, Integer selectedStep) {
        /** ", step k's pattern kept" (or the search's) when selection kept another than the last step's; else "". */
        public String keptNote() {
            if (selectedStep == null || selectedStep == steps) {
                return "";
            }
            return selectedStep == 0 ? ", the search's pattern kept" : ", step " + selectedStep + "'s pattern kept";
        }
    }

    /**
     * One candidate class of a scan (%, anomaly indices as numbers).
     *
     * @param score flip rate on the quantized model minus flip rate on the FP model, of the differential pattern
     * @param fpOnlyFlip flip rate on the FP model of the pattern inverted against the FP model alone
     * @param fpOnlyFlipQuantized that pattern's flip rate on the quantized model (null in files written before it was
     *     measured)
     * @param area mask area of the differential pattern, % of the image
     */
    @JsonPropertyOrder({"class", "score", "anomaly_index", "flip_quantized", "flip_fp", "fp_only_flip", "fp_only_flip_quantized",
            "fp_only_anomaly_index", "area"})
    public record ScanClass(@com.fasterxml.jackson.annotation.JsonProperty("class") int cls, double score, double anomalyIndex,
                            double flipQuantized, double flipFp, double fpOnlyFlip,
                            @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                            Double fpOnlyFlipQuantized, double fpOnlyAnomalyIndex, double area,
                            @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                            Integer draw,
                            @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                            java.util.List<Double> drawScores) {
        /** Without draws of the differential search to choose between (one draw). */
        public ScanClass(int cls, double score, double anomalyIndex, double flipQuantized, double flipFp, double fpOnlyFlip,
                         Double fpOnlyFlipQuantized, double fpOnlyAnomalyIndex, double area) {
            this(cls, score, anomalyIndex, flipQuantized, flipFp, fpOnlyFlip, fpOnlyFlipQuantized, fpOnlyAnomalyIndex, area,
                    null, null);
        }
    }
}
