package io.lac4j.pipeline;

import ai.djl.ndarray.NDManager;
import io.lac4j.InputException;
import io.lac4j.data.CalibrationData;
import io.lac4j.data.DatasetSplits;
import io.lac4j.data.Datasets;
import io.lac4j.data.Trigger;
import io.lac4j.engine.Engines;
import io.lac4j.engine.Progress;
import io.lac4j.eval.BackdoorEvaluator;
import io.lac4j.eval.DriftProfile;
import io.lac4j.eval.EvalSets;
import io.lac4j.eval.PhaseMetrics;
import io.lac4j.io.Checkpoints;
import io.lac4j.io.LoadedCheckpoint;
import io.lac4j.io.StateDict;
import io.lac4j.models.Arch;
import io.lac4j.models.ArchInference;
import io.lac4j.models.CheckpointLoader;
import io.lac4j.models.LoadReport;
import io.lac4j.models.ModelSpec;
import io.lac4j.models.ModelZoo;
import io.lac4j.nn.Graph;
import io.lac4j.quant.QuantizedModel;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The library entry points a Java user embeds: each takes a request record and returns a result
 * record; nothing here prints or exits. Commands in {@code cli} are thin shells over these.
 */
public final class Pipeline {
    private Pipeline() {}

    /** Reads a checkpoint, builds (or infers) its architecture and loads it, non-strict by default. */
    public static LoadedModel loadModel(ModelSource src, NDManager parent) {
        if (!Files.isRegularFile(src.checkpoint())) {
            throw new InputException(src.checkpoint() + ": checkpoint not found; pass "
                    + (src.flag().endsWith("=") ? src.flag() + "PATH" : src.flag() + " PATH"));
        }
        LoadedCheckpoint ck = Checkpoints.read(src.checkpoint());
        StateDict sd = ck.stateDict();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        sd.entries().forEach(e -> shapes.put(e.getKey(), e.getValue().shape()));
        Arch requested = Arch.fromName(src.arch(), "--arch");
        ArchInference.Inferred inferred = ArchInference.infer(shapes);
        ModelSpec spec = inferred.spec();
        String inference = inferred.explanation();
        if (requested != Arch.AUTO && requested != spec.arch()) {
            spec = ModelSpec.of(requested, spec.inChannels(), spec.numClasses(), spec.width());
            inference = null;
        } else if (requested != Arch.AUTO) {
            inference = null;
        }
        Graph g = ModelZoo.build(spec, parent);
        try {
            LoadReport report = CheckpointLoader.load(g, sd, src.strict(), src.checkpoint().toString(), spec.describe());
            g.setTraining(false);
            return new LoadedModel(g, spec, inference, report, ck.sha256(), src.checkpoint().toString());
        } catch (RuntimeException e) {
            g.close();
            throw e;
        }
    }

    /** Opens the data set and builds the clean / triggered / no-target views. */
    public static LoadedData loadData(DataSource src) {
        DatasetSplits splits = Datasets.open(src.data(), src.root());
        Trigger trigger = src.trigger() == null ? null : Trigger.byName(src.trigger());
        EvalSets sets = EvalSets.of(splits.test(), splits.normalization(), trigger, src.target()).limit(src.limit());
        return new LoadedData(splits, trigger, src.trigger(), src.target(), sets,
                src.root() == null ? src.data() : src.root().toString());
    }

    /**
     * Naive PTQ (LAC.md §7, and §10.3's "before" numbers): FP and quantized CDA / ASR /
     * ASR-no-target side by side; optionally exports the quantized model.
     */
    public static QuantizeResult quantize(QuantizeRequest req, Progress progress) {
        java.time.Instant started = java.time.Instant.now();
        Engines.start();
        try (NDManager run = Engines.newBaseManager(); LoadedModel m = loadModel(req.model(), run)) {
            LoadedData d = loadData(req.data());
            PhaseMetrics fp = BackdoorEvaluator.evaluate(m.graph()::forward, d.sets(), run, progress, "fp");
            long t0 = System.nanoTime();
            CalibrationData cal = PtqStages.drawCalibration(d, req.calibration(), req.seed());
            if (req.saveCalibration() != null) {
                PtqStages.saveCalibration(cal.activation(), req.saveCalibration());
            }
            try (QuantizedModel qm = PtqStages.prepareAndCalibrate(m.graph(), req.config(), req.prepare(),
                    cal.activation(), run, progress)) {
                double calSeconds = (System.nanoTime() - t0) / 1e9;
                PhaseMetrics naive = BackdoorEvaluator.evaluate(qm::forward, d.sets(), run, progress, "naive_ptq");
                List<DriftProfile> drift = req.driftImages() > 0
                        ? List.of(Drift.profile("naive_ptq", m.graph(), qm, d.sets(), req.driftImages(), run, progress))
                        : List.of();
                if (req.export() != null) {
                    QuantizedExport.write(qm, req.export());
                }
                Map<String, ResultDocument.Phase> phases = new LinkedHashMap<>();
                phases.put("fp", Results.phase(fp));
                phases.put("naive_ptq", Results.phase(naive));
                Map<String, Double> timings = new LinkedHashMap<>();
                timings.put("fp_eval", fp.seconds());
                timings.put("calibration", calSeconds);
                timings.put("naive_ptq_eval", naive.seconds());
                ResultDocument doc = new ResultDocument(ResultDocument.SCHEMA, "quantize", Results.model(m),
                        Results.data(d, fp), PtqStages.describe(req.schemeName(), req.config(), req.prepare(), req.calibration()),
                        null, phases, null, timings, null, RunProvenance.current(started, req.seed(), req));
                return new QuantizeResult(doc, fp, naive, calSeconds, drift);
            }
        }
    }

    /**
     * {@code lac4j purify}: FP and naive-PTQ evaluations, LAC(+PDA) reconstruction, purified
     * evaluation (LAC.md §1, §10.3). With {@code outputDir} set it writes the purified model, unit
     * loss curves and resumable state there.
     */
    public static PurifyResult purify(PurifyRequest req, Progress progress) {
        return Purification.run(req, progress);
    }

    /**
     * {@code lac4j defend}: one defense (EFRAP, a PTQ variant, LAC, FT, Fine-Pruning) on the model's
     * deployment path, with FP and naive-PTQ metrics of the same run and DER naive → defended.
     */
    public static DefendResult defend(DefendRequest req, Progress progress) {
        return Defenses.run(req, progress);
    }

    /**
     * {@code lac4j compare}: every defense at every bit width over seeds under one protocol;
     * mean ± std of CDA, ASR, ASR-no-target, DER and wall time per (defense, bits).
     */
    public static CompareResult compare(CompareRequest req, Progress progress) {
        return Comparison.run(req, progress);
    }

    /** FP evaluation of a checkpoint: CDA, and ASR / ASR-no-target when a trigger is given. */
    public static EvaluateResult evaluate(ModelSource model, DataSource data, long seed, Progress progress) {
        java.time.Instant started = java.time.Instant.now();
        Engines.start();
        try (NDManager run = Engines.newBaseManager(); LoadedModel m = loadModel(model, run)) {
            LoadedData d = loadData(data);
            PhaseMetrics fp = BackdoorEvaluator.evaluate(m.graph()::forward, d.sets(), run, progress, "fp");
            Map<String, ResultDocument.Phase> phases = new LinkedHashMap<>();
            phases.put("fp", Results.phase(fp));
            ResultDocument doc = new ResultDocument(ResultDocument.SCHEMA, "evaluate", Results.model(m), Results.data(d, fp),
                    null, null, phases, null, Map.of("fp_eval", fp.seconds()), null,
                    RunProvenance.current(started, seed, Map.of("model", model, "data", data)));
            return new EvaluateResult(doc, fp, m.spec(), m.inference(), m.report());
        }
    }
}
