package io.lac4j.pipeline;

import ai.djl.ndarray.NDManager;
import io.lac4j.data.CalibrationConfig;
import io.lac4j.data.CalibrationData;
import io.lac4j.data.DataView;
import io.lac4j.data.ImageDataset;
import io.lac4j.data.Normalization;
import io.lac4j.data.Preprocessing;
import io.lac4j.defense.Defended;
import io.lac4j.defense.Defense;
import io.lac4j.defense.DefenseContext;
import io.lac4j.defense.DefenseOptions;
import io.lac4j.engine.Engines;
import io.lac4j.engine.Progress;
import io.lac4j.eval.BackdoorEvaluator;
import io.lac4j.eval.DriftProfile;
import io.lac4j.eval.PhaseMetrics;
import io.lac4j.eval.Predictions;
import io.lac4j.nn.Graph;
import io.lac4j.ptq.LacReconstruction;
import io.lac4j.ptq.UnitReport;
import io.lac4j.quant.PrepareOptions;
import io.lac4j.quant.QuantConfig;
import io.lac4j.quant.QuantizedModel;
import io.lac4j.scan.ScanConfig;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one run skeleton every evaluating command configures: load model and data → FP baseline →
 * deployment quantization (calibrate) → naive baseline → each defense → evaluate → one
 * {@link Outcome}. Baselines come from a {@link BaselineMemo} when an earlier run of the same model
 * measured them; reconstructing defenses save resumable state to the run folder after every unit
 * and continue from it on resume ({@link ResumeState}). {@code evaluate} stops after the FP
 * baseline, {@code quantize} and {@code inspect-drift} after the naive model, {@code purify} and
 * {@code defend} run one defense, {@code demo} two on separately calibrated copies.
 */
final class DefendedRun {
    private DefendedRun() {}

    /**
     * What a run does.
     *
     * @param deployment the deployment's quantizer, or null to stop after the FP baseline
     * @param defenses applied in order, each to its own calibrated copy (the first to the naive model itself); a
     *     defense that changes the FP model changes it for the ones after it
     * @param evaluateFp / evaluateNaive whether the baselines are evaluated (inspect-drift only profiles)
     * @param driftImages images per FP-vs-quantized drift profile of the naive and every defended model (0: none)
     * @param outputDir where defended models and reconstruction state go (null: nothing written)
     * @param settings the run's resolved settings: results.json records them, a resume must repeat them
     * @param saveCalibration where the activation calibration list is saved as used (null: not saved)
     * @param exportNaive where the naive quantized model is exported: a {@code .onnx} path as ONNX QDQ, any other as
     *     {@code .pth} + {@code .int.safetensors} (null or empty: not exported)
     */
    record Plan(ModelSource model, DataSource data, QuantConfig deployment, PrepareOptions prepare,
                CalibrationConfig calibration, List<Defense> defenses, DefenseOptions options, boolean evaluateFp,
                boolean evaluateNaive, int driftImages, Path outputDir, boolean resume, Map<String, Object> settings,
                Path saveCalibration, List<Path> exportNaive, ScanConfig scan, List<Double> rangeSweep,
                boolean requantizeCheck) {
        Plan {
            defenses = List.copyOf(defenses);
            rangeSweep = RangeSweep.checked(rangeSweep);
            exportNaive = exportNaive == null ? List.of() : List.copyOf(exportNaive);
            settings = settings == null ? Map.of() : settings;
        }

        Plan(ModelSource model, DataSource data, QuantConfig deployment, PrepareOptions prepare,
             CalibrationConfig calibration, List<Defense> defenses, DefenseOptions options, boolean evaluateFp,
             boolean evaluateNaive, int driftImages, Path outputDir, boolean resume, Map<String, Object> settings,
             Path saveCalibration, List<Path> exportNaive) {
            this(model, data, deployment, prepare, calibration, defenses, options, evaluateFp, evaluateNaive, driftImages,
                    outputDir, resume, settings, saveCalibration, exportNaive, null, null);
        }

        /** Without a requantization check. */
        Plan(ModelSource model, DataSource data, QuantConfig deployment, PrepareOptions prepare,
             CalibrationConfig calibration, List<Defense> defenses, DefenseOptions options, boolean evaluateFp,
             boolean evaluateNaive, int driftImages, Path outputDir, boolean resume, Map<String, Object> settings,
             Path saveCalibration, List<Path> exportNaive, ScanConfig scan, List<Double> rangeSweep) {
            this(model, data, deployment, prepare, calibration, defenses, options, evaluateFp, evaluateNaive, driftImages,
                    outputDir, resume, settings, saveCalibration, exportNaive, scan, rangeSweep, false);
        }

        /** Without a range sweep. */
        Plan(ModelSource model, DataSource data, QuantConfig deployment, PrepareOptions prepare,
             CalibrationConfig calibration, List<Defense> defenses, DefenseOptions options, boolean evaluateFp,
             boolean evaluateNaive, int driftImages, Path outputDir, boolean resume, Map<String, Object> settings,
             Path saveCalibration, List<Path> exportNaive, ScanConfig scan) {
            this(model, data, deployment, prepare, calibration, defenses, options, evaluateFp, evaluateNaive, driftImages,
                    outputDir, resume, settings, saveCalibration, exportNaive, scan, null);
        }

        /** FP evaluation only. */
        static Plan fpOnly(ModelSource model, DataSource data, long seed) {
            return new Plan(model, data, null, PrepareOptions.ACADEMIC, CalibrationConfig.LAC, List.of(),
                    DefenseOptions.reference(0, seed), true, false, 0, null, false, Map.of(), null, null);
        }

        /** The quantizer the naive model is calibrated with: the first defense's, else the deployment's. */
        QuantConfig naiveQuantizer() {
            return defenses.isEmpty() ? deployment : defenses.get(0).quantizer(deployment);
        }
    }

    /**
     * One defended model: its metrics, seconds from its start to its evaluation's end, units, exported file, and
     * its metrics with the activation ranges scaled (empty without a range sweep), and its exported checkpoint
     * quantized again (null without the requantization check).
     */
    record Phase(Defense defense, PhaseMetrics metrics, double seconds, List<UnitReport> units, Path model,
                 List<RangeSweep.Point> rangeSweep, Requantization.Result requantized) {}

    /**
     * What a run measured. {@code naive} is null when the run did not evaluate it; {@code phases} has
     * one entry per defense that changed the model (naive and minmax leave the naive model as it is).
     */
    record Outcome(Instant started, long seed, ResultDocument.ModelInfo modelInfo, LoadedModel.Facts model, LoadedData data,
                   PhaseMetrics fp, PhaseMetrics naive, double calibrationSeconds, List<Phase> phases,
                   Map<String, Double> timings, List<DriftProfile> drift, Map<String, Object> facts,
                   Map<String, ResultDocument.OnnxCheck> onnxChecks, ScanFindings scan) {
        /** The last defended phase's metrics, else the naive model's. */
        PhaseMetrics defended() {
            return phases.isEmpty() ? naive : phases.get(phases.size() - 1).metrics();
        }

        List<UnitReport> units() {
            return phases.isEmpty() ? List.of() : phases.get(phases.size() - 1).units();
        }

        Path defendedModel() {
            return phases.isEmpty() ? null : phases.get(phases.size() - 1).model();
        }
    }

    static Outcome run(Plan plan, BaselineMemo memo, Progress progress) {
        Instant started = Instant.now();
        DefenseOptions o = plan.options();
        Engines.start();
        Engines.seed(o.seed());
        try (NDManager run = Engines.newBaseManager(); LoadedModel m = Pipeline.loadModel(plan.model(), run)) {
            LoadedData d = Pipeline.loadData(plan.data());
            Map<String, Double> timings = new LinkedHashMap<>();
            Map<String, Object> facts = new LinkedHashMap<>();
            Map<String, ResultDocument.OnnxCheck> checks = new LinkedHashMap<>();
            List<DriftProfile> drift = new ArrayList<>();
            PhaseMetrics fp = null;
            BaselineMemo.Measured fpRun = null;
            if (plan.evaluateFp()) {
                fpRun = memo.fp(() -> BackdoorEvaluator.evaluate(m.graph()::forward, d.sets(), run, progress, "fp"));
                fp = fpRun.metrics();
                timings.put("fp_eval", fp.seconds());
            }
            if (plan.deployment() == null) {
                return new Outcome(started, o.seed(), Results.model(m), m.facts(), d, fp, null, 0, List.of(), timings, drift, facts,
                        checks, null);
            }
            long t0 = System.nanoTime();
            CalibrationData cal = PtqStages.drawCalibration(d, plan.calibration(), o.seed());
            if (plan.saveCalibration() != null) {
                PtqStages.saveCalibration(cal.activation(), plan.saveCalibration());
            }
            double drawSeconds = (System.nanoTime() - t0) / 1e9;
            ScanFindings scan = plan.scan() == null ? null : new ScanFindings(plan.scan(), d.splits().normalization());
            Steps steps = new Steps(plan, m, d, cal, run, progress, timings, facts, checks, scan);
            CalibratedCopy naiveModel = steps.calibrated(plan.naiveQuantizer(), drawSeconds);
            try {
                PhaseMetrics naive = null;
                Predictions naivePredictions = new Predictions();
                if (plan.evaluateNaive()) {
                    BaselineMemo.Measured naiveRun = memo.naive(plan.naiveQuantizer(), plan.prepare(), plan.calibration(),
                            o.seed(), () -> BackdoorEvaluator.evaluate(naiveModel.get()::forward, d.sets(), run, progress, "naive_ptq",
                                    naivePredictions));
                    naive = naiveRun.metrics();
                    timings.put("naive_ptq_eval", naive.seconds());
                    BaselineMemo.noteReuse(timings, fpRun, naiveRun);
                }
                steps.profile("naive_ptq", naiveModel, drift);
                if (scan != null) {
                    scan.scan("naive_ptq", m.graph(), naiveModel.get(), cal.activation(), m.spec().numClasses(), o.seed(), run, progress,
                            plan.outputDir(), compute -> memo.scan(plan.naiveQuantizer(), plan.prepare(), plan.calibration(), o.seed(),
                                    scan.config(), compute));
                    timings.put("scan", scan.seconds());
                }
                for (Path f : plan.exportNaive()) {
                    steps.export(naiveModel.get(), f, "naive_ptq", naive, naivePredictions, "naive_ptq");
                }
                List<Phase> phases = new ArrayList<>();
                for (int i = 0; i < plan.defenses().size(); i++) {
                    Defense defense = plan.defenses().get(i);
                    Phase p = i == 0 ? steps.defend(defense, naiveModel, naive, naivePredictions, drift)
                            : steps.defendCopy(defense, steps.calibrated(defense.quantizer(plan.deployment()), 0), drift);
                    if (p != null) {
                        phases.add(p);
                    }
                }
                return new Outcome(started, o.seed(), Results.model(m), m.facts(), d, fp, naive, naiveModel.seconds(), phases,
                        timings, drift, facts, checks, scan);
            } finally {
                naiveModel.close();
            }
        }
    }

    /** The steps after calibration, sharing the run's model, data, calibration lists and records. */
    private record Steps(Plan plan, LoadedModel m, LoadedData d, CalibrationData cal, NDManager run, Progress progress,
                         Map<String, Double> timings, Map<String, Object> facts, Map<String, ResultDocument.OnnxCheck> checks,
                         ScanFindings scan) {
        CalibratedCopy calibrated(QuantConfig qc, double extraSeconds) {
            return new CalibratedCopy(() -> PtqStages.prepareAndCalibrate(m.graph(), qc, plan.prepare(), cal.activation(), run,
                    progress), extraSeconds, timings);
        }

        void profile(String phase, CalibratedCopy qm, List<DriftProfile> drift) {
            if (plan.driftImages() > 0) {
                profile(phase, qm.get(), drift);
            }
        }

        void profile(String phase, QuantizedModel qm, List<DriftProfile> drift) {
            if (plan.driftImages() > 0) {
                long t0 = System.nanoTime();
                drift.add(Drift.profile(phase, m.graph(), qm, d.sets(), plan.driftImages(), run, progress));
                timings.merge("drift", (System.nanoTime() - t0) / 1e9, Double::sum);
            }
        }

        /** One defense on a copy of its own, closed afterwards. */
        Phase defendCopy(Defense defense, CalibratedCopy copy, List<DriftProfile> drift) {
            try (copy) {
                return defend(defense, copy, null, null, drift);
            }
        }

        /**
         * One defense on {@code start}; null when it left the calibrated model as it was.
         *
         * @param startMetrics / startPredictions lac4j's evaluation of {@code start} when the run made one (else null)
         */
        Phase defend(Defense defense, CalibratedCopy start, PhaseMetrics startMetrics, Predictions startPredictions,
                     List<DriftProfile> drift) {
            long t0 = System.nanoTime();
            QuantConfig qc = defense.quantizer(plan.deployment());
            ResumeState state = plan.outputDir() == null ? null : new ResumeState(plan.outputDir(), plan.settings());
            List<UnitReport> restored = List.of();
            if (plan.resume()) {
                if (state == null) {
                    throw new io.lac4j.InputException("--resume: no saved purify state to resume from without the interrupted run's folder");
                }
                restored = state.restore(start.get());
            }
            int skip = restored.size();
            Context ctx = new Context(this, start, qc, state, skip);
            Defended out = defense.apply(ctx);
            try {
                if (out == null) {
                    if (plan.outputDir() != null) {   // the calibrated model is the defended one: hand it over too
                        export(start.get(), plan.outputDir().resolve(defense.phase() + ".pth"), defense.name(), startMetrics, null, null);
                        export(start.get(), plan.outputDir().resolve(defense.phase() + ".onnx"), defense.name(), startMetrics,
                                startPredictions, defense.phase());
                    }
                    return null;
                }
                List<UnitReport> units = new ArrayList<>(restored);
                units.addAll(out.units());
                if (!units.isEmpty()) {
                    timings.put("cache", units.stream().mapToDouble(UnitReport::cacheSeconds).sum());
                    timings.put("pda", units.stream().mapToDouble(UnitReport::pdaSeconds).sum());
                    timings.put("reconstruction", units.stream().mapToDouble(UnitReport::optimizeSeconds).sum());
                }
                Predictions predictions = new Predictions();
                PhaseMetrics metrics = BackdoorEvaluator.evaluate(out.model()::forward, d.sets(), run, progress, defense.phase(),
                        predictions);
                timings.put(defense.phase() + "_eval", metrics.seconds());
                if (scan != null) {
                    scan.residual(defense.phase(), out.model()::forward, run);
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                List<RangeSweep.Point> sweep = RangeSweep.run(out.model(), plan.rangeSweep(), d.sets(), run, progress,
                        defense.phase(), timings);
                profile(defense.phase(), out.model(), drift);
                Path file = null;
                if (plan.outputDir() != null) {
                    file = export(out.model(), plan.outputDir().resolve(defense.modelFileName()), defense.name(), metrics, null, null);
                    try {
                        export(out.model(), plan.outputDir().resolve(defense.modelFileName().replaceFirst("\\.pth$", ".onnx")),
                                defense.name(), metrics, predictions, defense.phase());
                    } catch (io.lac4j.InputException e) {
                        facts.put("onnx_export", "not written or not checked: " + e.getMessage());   // the .pth is the run's result
                    }
                }
                Requantization.Result requantized = null;
                Path pth = plan.outputDir() == null ? null : plan.outputDir().resolve(defense.modelFileName());
                if (plan.requantizeCheck() && pth != null && java.nio.file.Files.isRegularFile(pth)) {
                    requantized = Requantization.run(pth, plan.model(), out.model(), qc, plan.prepare(), cal.activation(),
                            d.sets(), run, progress, defense.phase(), timings);
                }
                return new Phase(defense, metrics, seconds, units, file, sweep, requantized);
            } finally {
                if (out != null && !start.holds(out.model())) {
                    out.model().close();
                }
            }
        }

        /**
         * Writes {@code qm} to {@code file}; an ONNX file is then checked in ONNX Runtime against lac4j's
         * evaluation of the same model and recorded under {@code phase}.
         */
        Path export(QuantizedModel qm, Path file, String method, PhaseMetrics metrics, Predictions predictions, String phase) {
            Path written = ModelExport.write(qm, file, m, d, method, metrics);
            if (phase != null && written.getFileName().toString().endsWith(".onnx")) {
                long t0 = System.nanoTime();
                checks.put(phase, OnnxCheck.run(written, qm::forward, metrics, predictions, d, run, progress));
                timings.merge("onnx_check", (System.nanoTime() - t0) / 1e9, Double::sum);
            }
            return written;
        }

        /** The reconstruction list's labels, from the training split it was drawn from. */
        int[] calibrationLabels() {
            ImageDataset train = d.splits().train();
            int[] idx = cal.reconstruction().sourceIndices();
            int[] labels = new int[idx.length];
            for (int i = 0; i < idx.length; i++) {
                labels[i] = train.label(idx[i]);
            }
            return labels;
        }

        /** The data fine-tuning defenses train on: the reconstruction list's images with labels and augmentation. */
        DataView cleanCalibrationView() {
            ImageDataset train = d.splits().train();
            return DataView.of(train.name() + "/calibration", train, cal.reconstruction().sourceIndices(), calibrationLabels(),
                    Preprocessing.train(d.splits().normalization(), train.height() / 8));
        }
    }

    /** What a defense sees of the run. */
    private static final class Context implements DefenseContext {
        private final Steps steps;
        private final CalibratedCopy start;
        private final QuantConfig quantizer;
        private final ResumeState state;
        private final int unitsDone;

        Context(Steps steps, CalibratedCopy start, QuantConfig quantizer, ResumeState state, int unitsDone) {
            this.steps = steps;
            this.start = start;
            this.quantizer = quantizer;
            this.state = state;
            this.unitsDone = unitsDone;
        }

        @Override
        public Graph fp() {
            return steps.m().graph();
        }

        @Override
        public QuantizedModel calibrated() {
            return start.get();
        }

        @Override
        public QuantizedModel quantize(Graph fp) {
            return PtqStages.prepareAndCalibrate(fp, quantizer, steps.plan().prepare(), steps.cal().activation(), steps.run(),
                    steps.progress());
        }

        @Override
        public CalibrationData calibration() {
            return steps.cal();
        }

        @Override
        public int[] calibrationLabels() {
            return steps.calibrationLabels();
        }

        @Override
        public DataView cleanCalibrationView() {
            return steps.cleanCalibrationView();
        }

        @Override
        public Normalization normalization() {
            return steps.d().splits().normalization();
        }

        @Override
        public int classes() {
            return steps.m().spec().numClasses();
        }

        @Override
        public DefenseOptions options() {
            return steps.plan().options();
        }

        @Override
        public NDManager manager() {
            return steps.run();
        }

        @Override
        public Progress progress() {
            return steps.progress();
        }

        @Override
        public Map<String, Double> timings() {
            return steps.timings();
        }

        @Override
        public Map<String, Object> facts() {
            return steps.facts();
        }

        @Override
        public LacReconstruction.UnitListener unitListener() {
            return (index, unit, report) -> {
                if (state != null) {
                    state.saveUnit(index, report, start.get());
                }
            };
        }

        @Override
        public int unitsDone() {
            return unitsDone;
        }
    }
}
