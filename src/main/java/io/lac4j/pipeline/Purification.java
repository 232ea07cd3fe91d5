package io.lac4j.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.lac4j.InputException;
import io.lac4j.Lac4jException;
import io.lac4j.data.CalibrationData;
import io.lac4j.engine.Engines;
import io.lac4j.engine.Mt19937;
import io.lac4j.engine.Progress;
import io.lac4j.eval.BackdoorEvaluator;
import io.lac4j.eval.Der;
import io.lac4j.eval.DriftProfile;
import io.lac4j.eval.PhaseMetrics;
import io.lac4j.io.AtomicFile;
import io.lac4j.io.Json;
import io.lac4j.io.SafetensorsReader;
import io.lac4j.io.SafetensorsWriter;
import io.lac4j.io.StateDict;
import io.lac4j.models.CheckpointLoader;
import io.lac4j.ptq.LacReconstruction;
import io.lac4j.ptq.UnitReport;
import io.lac4j.ptq.WeightRounding;
import io.lac4j.quant.FakeQuantizer;
import io.lac4j.quant.QParams;
import io.lac4j.quant.QuantizedModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code lac4j purify}: the reference pipeline (LAC.md §1) plus lac4j's "before" evaluations
 * (§10.3): FP and naive-PTQ metrics, then LAC(+PDA) unit by unit, then the purified metrics.
 * With an output folder it writes the purified model, one loss-curve CSV per unit and, after
 * every finished unit, the state {@code --resume} continues from.
 */
final class Purification {
    static final String STATE = "state";
    static final String ACT_QPARAMS = "activation_qparams.json";

    private Purification() {}

    static PurifyResult run(PurifyRequest req, Progress progress) {
        return run(req, WeightRounding.LAC, "purify", "purified", BaselineMemo.NONE, progress);
    }

    /**
     * The same pipeline with another weight rounding (EFRAP, AdaRound): {@code command} and
     * {@code phase} name the result file's command and the phase after reconstruction; FP and
     * naive-PTQ metrics come from {@code memo} when an earlier run of the same model measured them
     * (timings then say {@code reused_eval}: the seconds that earlier run spent on them).
     */
    static PurifyResult run(PurifyRequest req, WeightRounding rounding, String command, String phase, BaselineMemo memo,
                            Progress progress) {
        java.time.Instant started = java.time.Instant.now();
        Engines.start();
        Engines.seed(req.seed());
        try (NDManager run = Engines.newBaseManager(); LoadedModel m = Pipeline.loadModel(req.model(), run)) {
            LoadedData d = Pipeline.loadData(req.data());
            Map<String, Double> timings = new LinkedHashMap<>();
            BaselineMemo.Measured fpRun = memo.fp(() -> BackdoorEvaluator.evaluate(m.graph()::forward, d.sets(), run, progress, "fp"));
            PhaseMetrics fp = fpRun.metrics();
            timings.put("fp_eval", fp.seconds());
            long t0 = System.nanoTime();
            CalibrationData cal = PtqStages.drawCalibration(d, req.calibration(), req.seed());
            try (QuantizedModel qm = PtqStages.prepareAndCalibrate(m.graph(), req.quant(), req.prepare(),
                    cal.activation(), run, progress)) {
                timings.put("calibration", (System.nanoTime() - t0) / 1e9);
                BaselineMemo.Measured naiveRun = memo.naive(req.quant(), req.prepare(), req.calibration(), req.seed(),
                        () -> BackdoorEvaluator.evaluate(qm::forward, d.sets(), run, progress, "naive_ptq"));
                PhaseMetrics naive = naiveRun.metrics();
                timings.put("naive_ptq_eval", naive.seconds());
                BaselineMemo.noteReuse(timings, fpRun, naiveRun);
                List<DriftProfile> drift = new ArrayList<>();
                if (req.driftImages() > 0) {
                    drift.add(Drift.profile("naive_ptq", m.graph(), qm, d.sets(), req.driftImages(), run, progress));
                }
                List<UnitReport> units = new ArrayList<>();
                PhaseMetrics purified = null;
                Path purifiedModel = null;
                if (req.advanced()) {
                    units = reconstruct(req, rounding, m, qm, cal, run, progress, timings);
                    purified = BackdoorEvaluator.evaluate(qm::forward, d.sets(), run, progress, phase);
                    timings.put("purified_eval", purified.seconds());
                    if (req.driftImages() > 0) {
                        drift.add(Drift.profile("purified", m.graph(), qm, d.sets(), req.driftImages(), run, progress));
                    }
                    if (req.outputDir() != null) {
                        purifiedModel = req.outputDir().resolve("purified.pth");
                        QuantizedExport.write(qm, purifiedModel);
                    }
                }
                return result(req, started, command, phase, m, d, fp, naive, purified, units, timings, purifiedModel, drift);
            }
        }
    }

    private static List<UnitReport> reconstruct(PurifyRequest req, WeightRounding rounding, LoadedModel m, QuantizedModel qm,
                                                CalibrationData cal, NDManager run, Progress progress,
                                                Map<String, Double> timings) {
        Path out = req.outputDir();
        int skip = 0;
        List<UnitReport> done = new ArrayList<>();
        if (req.resume()) {
            skip = restore(out, qm, req, done);
        }
        try (NDManager calScope = run.newSubManager()) {
            List<NDArray> images = PtqStages.batches(cal.reconstruction(), calScope);
            long t0 = System.nanoTime();
            Mt19937 rng = new Mt19937(req.seed());
            List<UnitReport> fresh = LacReconstruction.run(qm, m.graph(), images, req.reconstruction(), req.pda(), rounding, rng,
                    run, progress, (index, unit, report) -> {
                        if (out != null) {
                            saveUnit(out, index, report, qm, req);
                        }
                    }, skip);
            done.addAll(fresh);
            timings.put("reconstruction_total", (System.nanoTime() - t0) / 1e9);
            timings.put("cache", done.stream().mapToDouble(UnitReport::cacheSeconds).sum());
            timings.put("pda", done.stream().mapToDouble(UnitReport::pdaSeconds).sum());
            timings.put("reconstruction", done.stream().mapToDouble(UnitReport::optimizeSeconds).sum());
        }
        return done;
    }

    /** After a finished unit: its loss curve, then the quantized weights and the count (atomically). */
    private static void saveUnit(Path out, int index, UnitReport report, QuantizedModel qm, PurifyRequest req) {
        try {
            Files.createDirectories(out.resolve("units"));
            StringBuilder csv = new StringBuilder("iteration,loss\n");
            float[] l = report.losses();
            for (int i = 0; i < l.length; i++) {
                csv.append(i).append(',').append(l[i]).append('\n');
            }
            AtomicFile.writeString(out.resolve("units").resolve(String.format("%02d_%s.csv", index, report.name())),
                    csv.toString());
            Path state = out.resolve(STATE);
            Files.createDirectories(state);
            SafetensorsWriter.write(state.resolve("quantized.safetensors"), CheckpointLoader.toStateDict(qm.graph()));
            AtomicFile.writeString(state.resolve(ACT_QPARAMS), Json.mapper().writeValueAsString(activationQParams(qm)));
            Map<String, Object> progress = new LinkedHashMap<>();
            progress.put("units_done", index + 1);
            progress.put("settings", req.settings());
            progress.put("unit", Map.of("name", report.name(), "cache_s", report.cacheSeconds(), "pda_s",
                    report.pdaSeconds(), "optimize_s", report.optimizeSeconds(), "pda", report.pdaApplied()));
            AtomicFile.writeString(state.resolve("progress.json"), Json.mapper().writeValueAsString(progress));
        } catch (IOException e) {
            throw new UncheckedIOException(out + ": cannot save unit state", e);
        }
    }

    /**
     * Activation (s, z) by quantizer node: learned ones (method lac-act) are part of a finished
     * unit's state just like its hardened weights.
     */
    private static Map<String, Object> activationQParams(QuantizedModel qm) {
        Map<String, Object> out = new LinkedHashMap<>();
        qm.activationQuantizers().forEach((name, q) -> {
            if (q.qparams().channels() == 1) {
                out.put(name, Map.of("scale", q.qparams().scale(0), "zero_point", q.qparams().zeroPoint(0)));
            }
        });
        return out;
    }

    private static void restoreActivationQParams(QuantizedModel qm, Map<?, ?> saved, Path file) {
        for (Map.Entry<?, ?> e : saved.entrySet()) {
            FakeQuantizer q = qm.activationQuantizers().get(String.valueOf(e.getKey()));
            if (q == null || !(e.getValue() instanceof Map<?, ?> v)) {
                throw new InputException(file + ": unknown activation quantizer '" + e.getKey() + "'");
            }
            q.setQParams(QParams.perTensor(((Number) v.get("scale")).floatValue(), ((Number) v.get("zero_point")).intValue()));
        }
    }

    /** Loads the hardened weights of a previous run and returns how many units it finished. */
    private static int restore(Path out, QuantizedModel qm, PurifyRequest req, List<UnitReport> done) {
        if (out == null || !Files.isRegularFile(out.resolve(STATE).resolve("progress.json"))) {
            throw new InputException((out == null ? "--resume" : out.resolve(STATE).resolve("progress.json"))
                    + ": no saved purify state to resume from; run without --resume first");
        }
        try {
            Map<?, ?> progress = Json.mapper().readValue(out.resolve(STATE).resolve("progress.json").toFile(), Map.class);
            Object saved = progress.get("settings");
            Object now = Json.mapper().readValue(Json.mapper().writeValueAsString(req.settings()), Map.class);
            if (!now.equals(saved)) {
                throw new InputException(out.resolve(STATE).resolve("progress.json")
                        + ": settings differ from the interrupted run; resume with the same configuration and overrides");
            }
            StateDict sd = SafetensorsReader.read(out.resolve(STATE).resolve("quantized.safetensors")).stateDict();
            CheckpointLoader.load(qm.graph(), sd, true, out.resolve(STATE).toString(), "the quantized model");
            Path act = out.resolve(STATE).resolve(ACT_QPARAMS);
            if (Files.isRegularFile(act)) {
                restoreActivationQParams(qm, Json.mapper().readValue(act.toFile(), Map.class), act);
            }
            int units = ((Number) progress.get("units_done")).intValue();
            try (var files = Files.list(out.resolve("units"))) {
                for (Path csv : files.sorted().toList()) {
                    if (done.size() < units) {
                        done.add(readCurve(csv));
                    }
                }
            }
            return units;
        } catch (IOException e) {
            throw new Lac4jException(out + ": cannot read purify state: " + e.getMessage(), e);
        }
    }

    private static UnitReport readCurve(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        float[] losses = new float[lines.size() - 1];
        for (int i = 1; i < lines.size(); i++) {
            losses[i - 1] = Float.parseFloat(lines.get(i).split(",")[1]);
        }
        String name = csv.getFileName().toString().replaceFirst("^\\d+_", "").replaceFirst("\\.csv$", "");
        return new UnitReport(name, losses, 0, 0, 0, false);
    }

    private static PurifyResult result(PurifyRequest req, java.time.Instant started, String command, String phase, LoadedModel m, LoadedData d, PhaseMetrics fp, PhaseMetrics naive,
                                       PhaseMetrics purified, List<UnitReport> units, Map<String, Double> timings,
                                       Path purifiedModel, List<DriftProfile> drift) {
        Map<String, ResultDocument.Phase> phases = new LinkedHashMap<>();
        phases.put("fp", Results.phase(fp));
        phases.put("naive_ptq", Results.phase(naive));
        Double der = null;
        if (purified != null) {
            phases.put(phase, Results.phase(purified));
            if (naive.asrNt() != null) {
                der = Results.round(Der.compute(naive.cda(), naive.asrNt(), purified.cda(), purified.asrNt()));
            }
        }
        Map<String, Object> quant = new LinkedHashMap<>(PtqStages.describe(null, req.quant(), req.prepare(), req.calibration()));
        quant.put("reconstruction", req.reconstruction().toString());
        quant.put("pda", req.pda().toString());
        ResultDocument doc = new ResultDocument(ResultDocument.SCHEMA, command, Results.model(m), Results.data(d, fp),
                quant, req.method(), phases, der, timings, req.settings(),
                RunProvenance.current(started, req.seed(), req.settings().isEmpty() ? req : req.settings()));
        return new PurifyResult(doc, fp, naive, purified, units, purifiedModel, drift);
    }
}
