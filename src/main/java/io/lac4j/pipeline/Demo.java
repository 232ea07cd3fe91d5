package io.lac4j.pipeline;

import io.lac4j.data.CalibrationConfig;
import io.lac4j.defense.DefenseOptions;
import io.lac4j.defense.Defenses;
import io.lac4j.engine.Progress;
import io.lac4j.eval.DriftProfile;
import io.lac4j.eval.PhaseMetrics;
import io.lac4j.ptq.PdaConfig;
import io.lac4j.ptq.ReconstructionConfig;
import io.lac4j.ptq.UnitReport;
import io.lac4j.quant.PrepareOptions;
import io.lac4j.quant.QuantConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;


/**
 * The first-run story in one call: FP evaluation, naive PTQ (the backdoor wakes up), LAC, and
 * LAC + PDA, each phase timed — the run skeleton with two defenses, each on its own identically
 * calibrated copy.
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
        DefenseOptions options = new DefenseOptions(req.reconstruction(), req.pda(), null, DefenseOptions.OWN_EPOCHS,
                DefenseOptions.DEFAULT_PRUNE_RATIO, req.seed());
        DefendedRun.Plan plan = new DefendedRun.Plan(req.model(), req.data(), req.quant(), PrepareOptions.ACADEMIC,
                req.calibration(), List.of(Defenses.byName("lac", "demo"), Defenses.byName("lac+pda", "demo")), options,
                true, true, req.driftImages(), null, false, Map.of(), null, null);
        DefendedRun.Outcome o = DefendedRun.run(plan, BaselineMemo.NONE, progress);
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("fp", o.fp(), o.fp().seconds()));
        rows.add(new Row("naive_ptq", o.naive(), o.calibrationSeconds() + o.naive().seconds()));
        for (DefendedRun.Phase p : o.phases()) {
            rows.add(new Row(p.defense().phase(), p.metrics(), p.seconds()));
        }
        return new Result(rows, o.phases().get(0).units(), o.phases().get(1).units(), o.drift(), document(req, o, rows));
    }

    private static ResultDocument document(Request req, DefendedRun.Outcome o, List<Row> rows) {
        Map<String, ResultDocument.Phase> phases = new LinkedHashMap<>();
        Map<String, Double> timings = new LinkedHashMap<>();
        for (Row row : rows) {
            ResultDocument.Phase p = Results.phase(row.metrics());
            phases.put(row.phase(), new ResultDocument.Phase(p.cda(), p.asr(), p.asrNoTarget(), p.top5(), p.n(),
                    Results.round(row.seconds())));
            timings.put(row.phase(), Results.round(row.seconds()));
        }
        Map<String, Object> quant = new LinkedHashMap<>(PtqStages.describe("academic-w4a4", req.quant(), PrepareOptions.ACADEMIC,
                req.calibration()));
        quant.put("reconstruction", req.reconstruction().toString());
        quant.put("pda", req.pda().toString());
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("quantize.reconstruction.max_count", req.reconstruction().maxCount());
        settings.put("quantize.reconstruction.pda_count", req.pda().count());
        ResultDocument doc = Results.document("demo", o, quant, "lac", settings, req);
        return new ResultDocument(doc.schema(), doc.command(), doc.model(), doc.data(), doc.quantization(), doc.method(), phases,
                doc.der(), timings, doc.settings(), doc.provenance(), doc.onnxCheck(), doc.scan(), doc.rangeSweep());
    }

    /** The demo's rows as result-file phases. */
    public static Map<String, ResultDocument.Phase> phases(Result r) {
        return r.document().phases();
    }
}
