package io.lac4j.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.lac4j.data.CalibrationConfig;
import io.lac4j.data.CalibrationData;
import io.lac4j.engine.Engines;
import io.lac4j.engine.Mt19937;
import io.lac4j.engine.Progress;
import io.lac4j.eval.BackdoorEvaluator;
import io.lac4j.eval.Der;
import io.lac4j.eval.DriftProfile;
import io.lac4j.eval.PhaseMetrics;
import io.lac4j.ptq.LacReconstruction;
import io.lac4j.ptq.PdaConfig;
import io.lac4j.ptq.ReconstructionConfig;
import io.lac4j.ptq.UnitReport;
import io.lac4j.quant.PrepareOptions;
import io.lac4j.quant.QuantConfig;
import io.lac4j.quant.QuantizedModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The first-run story in one call: FP evaluation, naive PTQ (the backdoor wakes up), LAC, and
 * LAC + PDA, each phase timed. Both purifications start from identically calibrated copies.
 */
public final class Demo {
    private Demo() {}

    /** One row of the demo table. */
    public record Row(String phase, PhaseMetrics metrics, double seconds) {}

    /** @param driftImages images per FP-vs-quantized drift profile (naive, LAC, LAC+PDA); 0 = none */
    public record Request(ModelSource model, DataSource data, QuantConfig quant, CalibrationConfig calibration,
                          ReconstructionConfig reconstruction, PdaConfig pda, long seed, int driftImages) {
        public Request(ModelSource model, DataSource data, QuantConfig quant, CalibrationConfig calibration,
                       ReconstructionConfig reconstruction, PdaConfig pda, long seed) {
            this(model, data, quant, calibration, reconstruction, pda, seed, 0);
        }
    }

    /** The rows, the unit reports of both purifications, drift profiles and the results document. */
    public record Result(List<Row> rows, List<UnitReport> lacUnits, List<UnitReport> pdaUnits,
                         List<DriftProfile> drift, ResultDocument document) {}

    public static Result run(Request req, Progress progress) {
        java.time.Instant started = java.time.Instant.now();
        Engines.start();
        Engines.seed(req.seed());
        try (NDManager run = Engines.newBaseManager(); LoadedModel m = Pipeline.loadModel(req.model(), run)) {
            LoadedData d = Pipeline.loadData(req.data());
            List<Row> rows = new java.util.ArrayList<>();
            long t0 = System.nanoTime();
            PhaseMetrics fp = BackdoorEvaluator.evaluate(m.graph()::forward, d.sets(), run, progress, "fp");
            rows.add(new Row("fp", fp, seconds(t0)));
            CalibrationData cal = PtqStages.drawCalibration(d, req.calibration(), req.seed());
            t0 = System.nanoTime();
            List<UnitReport> lacUnits;
            List<UnitReport> pdaUnits;
            List<DriftProfile> drift = new ArrayList<>();
            try (QuantizedModel qm = PtqStages.prepareAndCalibrate(m.graph(), req.quant(), PrepareOptions.ACADEMIC,
                    cal.activation(), run, progress)) {
                PhaseMetrics naive = BackdoorEvaluator.evaluate(qm::forward, d.sets(), run, progress, "naive_ptq");
                rows.add(new Row("naive_ptq", naive, seconds(t0)));
                drift(drift, "naive_ptq", m, qm, d, req, run, progress);
                t0 = System.nanoTime();
                lacUnits = reconstruct(qm, m, cal, req, req.pda().withEnabled(false), run, progress);
                rows.add(new Row("lac", BackdoorEvaluator.evaluate(qm::forward, d.sets(), run, progress, "lac"), seconds(t0)));
                drift(drift, "lac", m, qm, d, req, run, progress);
            }
            t0 = System.nanoTime();
            try (QuantizedModel qm = PtqStages.prepareAndCalibrate(m.graph(), req.quant(), PrepareOptions.ACADEMIC,
                    cal.activation(), run, progress)) {
                pdaUnits = reconstruct(qm, m, cal, req, req.pda().withEnabled(true), run, progress);
                rows.add(new Row("lac_pda", BackdoorEvaluator.evaluate(qm::forward, d.sets(), run, progress, "lac_pda"), seconds(t0)));
                drift(drift, "lac_pda", m, qm, d, req, run, progress);
            }
            return new Result(rows, lacUnits, pdaUnits, drift, document(req, started, m, d, rows));
        }
    }

    private static void drift(List<DriftProfile> out, String phase, LoadedModel m, QuantizedModel qm, LoadedData d,
                              Request req, NDManager run, Progress progress) {
        if (req.driftImages() > 0) {
            out.add(Drift.profile(phase, m.graph(), qm, d.sets(), req.driftImages(), run, progress));
        }
    }

    private static ResultDocument document(Request req, java.time.Instant started, LoadedModel m, LoadedData d, List<Row> rows) {
        Map<String, ResultDocument.Phase> phases = new LinkedHashMap<>();
        Map<String, Double> timings = new LinkedHashMap<>();
        for (Row row : rows) {
            ResultDocument.Phase p = Results.phase(row.metrics());
            phases.put(row.phase(), new ResultDocument.Phase(p.cda(), p.asr(), p.asrNoTarget(), p.top5(), p.n(),
                    Results.round(row.seconds())));
            timings.put(row.phase(), Results.round(row.seconds()));
        }
        PhaseMetrics naive = rows.get(1).metrics();
        PhaseMetrics pda = rows.get(rows.size() - 1).metrics();
        Double der = naive.asrNt() == null ? null
                : Results.round(Der.compute(naive.cda(), naive.asrNt(), pda.cda(), pda.asrNt()));
        Map<String, Object> quant = new LinkedHashMap<>(PtqStages.describe("academic-w4a4", req.quant(), PrepareOptions.ACADEMIC,
                req.calibration()));
        quant.put("reconstruction", req.reconstruction().toString());
        quant.put("pda", req.pda().toString());
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("quantize.reconstruction.max_count", req.reconstruction().maxCount());
        settings.put("quantize.reconstruction.pda_count", req.pda().count());
        return new ResultDocument(ResultDocument.SCHEMA, "demo", Results.model(m), Results.data(d, rows.get(0).metrics()),
                quant, "lac", phases, der, timings, settings, RunProvenance.current(started, req.seed(), req));
    }

    private static List<UnitReport> reconstruct(QuantizedModel qm, LoadedModel m, CalibrationData cal, Request req,
                                                PdaConfig pda, NDManager run, Progress progress) {
        try (NDManager scope = run.newSubManager()) {
            List<NDArray> images = PtqStages.batches(cal.reconstruction(), scope);
            return LacReconstruction.run(qm, m.graph(), images, req.reconstruction(), pda, new Mt19937(req.seed()), run,
                    progress, (i, u, r) -> { }, 0);
        }
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    /** The demo's rows as result-file phases. */
    public static Map<String, ResultDocument.Phase> phases(Result r) {
        return r.document().phases();
    }
}
