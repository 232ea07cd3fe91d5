package io.lac4j.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.lac4j.data.CalibrationConfig;
import io.lac4j.data.CalibrationData;
import io.lac4j.engine.Engines;
import io.lac4j.engine.Mt19937;
import io.lac4j.engine.Progress;
import io.lac4j.eval.BackdoorEvaluator;
import io.lac4j.eval.PhaseMetrics;
import io.lac4j.ptq.LacReconstruction;
import io.lac4j.ptq.PdaConfig;
import io.lac4j.ptq.ReconstructionConfig;
import io.lac4j.ptq.UnitReport;
import io.lac4j.quant.PrepareOptions;
import io.lac4j.quant.QuantConfig;
import io.lac4j.quant.QuantizedModel;
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

    public record Request(ModelSource model, DataSource data, QuantConfig quant, CalibrationConfig calibration,
                          ReconstructionConfig reconstruction, PdaConfig pda, long seed) {}

    public record Result(List<Row> rows, List<UnitReport> lacUnits, List<UnitReport> pdaUnits) {}

    public static Result run(Request req, Progress progress) {
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
            try (QuantizedModel qm = PtqStages.prepareAndCalibrate(m.graph(), req.quant(), PrepareOptions.ACADEMIC,
                    cal.activation(), run, progress)) {
                PhaseMetrics naive = BackdoorEvaluator.evaluate(qm::forward, d.sets(), run, progress, "naive_ptq");
                rows.add(new Row("naive_ptq", naive, seconds(t0)));
                t0 = System.nanoTime();
                lacUnits = reconstruct(qm, m, cal, req, req.pda().withEnabled(false), run, progress);
                rows.add(new Row("lac", BackdoorEvaluator.evaluate(qm::forward, d.sets(), run, progress, "lac"), seconds(t0)));
            }
            t0 = System.nanoTime();
            try (QuantizedModel qm = PtqStages.prepareAndCalibrate(m.graph(), req.quant(), PrepareOptions.ACADEMIC,
                    cal.activation(), run, progress)) {
                pdaUnits = reconstruct(qm, m, cal, req, req.pda().withEnabled(true), run, progress);
                rows.add(new Row("lac_pda", BackdoorEvaluator.evaluate(qm::forward, d.sets(), run, progress, "lac_pda"), seconds(t0)));
            }
            return new Result(rows, lacUnits, pdaUnits);
        }
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
    public static Map<String, io.lac4j.report.ResultDocument.Phase> phases(Result r) {
        Map<String, io.lac4j.report.ResultDocument.Phase> out = new LinkedHashMap<>();
        for (Row row : r.rows()) {
            io.lac4j.report.ResultDocument.Phase p = Results.phase(row.metrics());
            out.put(row.phase(), new io.lac4j.report.ResultDocument.Phase(p.cda(), p.asr(), p.asrNoTarget(), p.top5(), p.n(),
                    Results.round(row.seconds())));
        }
        return out;
    }
}
