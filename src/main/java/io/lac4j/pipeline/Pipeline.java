package io.lac4j.pipeline;

import ai.djl.ndarray.NDManager;
import io.lac4j.defense.DefenseOptions;
import io.lac4j.engine.Progress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The library entry points a Java user embeds: each takes a request record and returns a result
 * record; nothing here prints or exits. Commands in {@code cli} are thin shells over these, and
 * each is a configuration of the one run skeleton, {@link DefendedRun}.
 */
public final class Pipeline {
    private Pipeline() {}

    /** Reads a checkpoint, builds (or infers) its architecture and loads it, non-strict by default. */
    public static LoadedModel loadModel(ModelSource src, NDManager parent) {
        return Loading.model(src, parent);
    }

    /** Opens the data set and builds the clean / triggered / no-target views. */
    public static LoadedData loadData(DataSource src) {
        return Loading.data(src);
    }

    /**
     * Naive PTQ (the reference's "before" numbers): FP and quantized CDA / ASR / ASR-no-target side
     * by side; optionally exports the quantized model and saves the calibration list.
     */
    public static QuantizeResult quantize(QuantizeRequest req, Progress progress) {
        DefendedRun.Plan plan = new DefendedRun.Plan(req.model(), req.data(), req.config(), req.prepare(), req.calibration(),
                List.of(), DefenseOptions.reference(0, req.seed()), true, true, req.driftImages(), null, false, Map.of(),
                req.saveCalibration(), java.util.stream.Stream.of(req.export(), req.exportOnnx()).filter(java.util.Objects::nonNull).toList());
        DefendedRun.Outcome o = DefendedRun.run(plan, BaselineMemo.NONE, progress);
        ResultDocument doc = Results.document("quantize", o,
                PtqStages.describe(req.schemeName(), req.config(), req.prepare(), req.calibration()), null, null, req);
        return new QuantizeResult(doc, o.fp(), o.naive(), o.calibrationSeconds(), o.drift());
    }

    /**
     * {@code lac4j purify}: FP and naive-PTQ evaluations, LAC(+PDA) reconstruction, purified
     * evaluation. With {@code outputDir} set it writes the purified model, unit loss curves and
     * resumable state there.
     */
    public static PurifyResult purify(PurifyRequest req, Progress progress) {
        return Purifying.run(req, progress);
    }

    /**
     * {@code lac4j defend}: one defense (EFRAP, a PTQ variant, LAC, FT, Fine-Pruning, QVec…) on the
     * model's deployment path, with FP and naive-PTQ metrics of the same run and DER naive → defended.
     */
    public static DefendResult defend(DefendRequest req, Progress progress) {
        return Defending.run(req, BaselineMemo.NONE, progress);
    }

    /**
     * {@code lac4j scan}: without trigger or labels, whether the model's quantized deployment hides a
     * backdoor its FP model does not show (results.json's {@code scan} section).
     */
    public static ResultDocument scan(ScanRequest req, Progress progress) {
        return Scanning.run(req, progress);
    }

    /**
     * {@code lac4j compare}: every defense at every bit width over seeds under one protocol;
     * mean ± std of CDA, ASR, ASR-no-target, DER and wall time per (defense, bits).
     */
    public static CompareResult compare(CompareRequest req, Progress progress) {
        return Comparison.run(req, progress);
    }

    /**
     * FP evaluation of a checkpoint: CDA, and ASR / ASR-no-target when a trigger is given. A {@code .onnx}
     * file is run by ONNX Runtime (phase {@code onnx}).
     */
    public static EvaluateResult evaluate(ModelSource model, DataSource data, long seed, Progress progress) {
        if (OnnxEvaluation.isOnnx(model)) {
            return OnnxEvaluation.run(model, data, seed, progress);
        }
        DefendedRun.Outcome o = DefendedRun.run(DefendedRun.Plan.fpOnly(model, data, seed), BaselineMemo.NONE, progress);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("model", model);
        config.put("data", data);
        ResultDocument doc = Results.document("evaluate", o, null, null, null, config);
        return new EvaluateResult(doc, o.fp(), o.model().spec(), o.model().inference(), o.model().report());
    }
}
