package io.lac4j.pipeline;

import io.lac4j.data.CalibrationConfig;
import io.lac4j.defense.Defense;
import io.lac4j.defense.DefenseOptions;
import io.lac4j.engine.Progress;
import io.lac4j.eval.Der;
import io.lac4j.eval.PhaseMetrics;
import io.lac4j.ptq.PdaConfig;
import io.lac4j.ptq.ReconstructionConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code lac4j defend} as a configuration of {@link DefendedRun}: the protocol's deployment, the
 * same calibration lists for every defense, the reference's reconstruction at {@code max_count}.
 */
final class Defending {
    private Defending() {}

    /**
     * One defense, with FP and naive-PTQ metrics from {@code memo} when an earlier run of the same
     * model measured them; the result's seconds include those evaluations' original time and leave out a range sweep
     * (a check of the result, not part of the defense's cost that compare's time column reports).
     */
    static DefendResult run(DefendRequest req, BaselineMemo memo, Progress progress) {
        long t0 = System.nanoTime();
        DefenseProtocol p = req.protocol();
        Defense d = req.defense();
        DefenseOptions options = new DefenseOptions(ReconstructionConfig.REFERENCE.withMaxCount(p.maxCount()),
                PdaConfig.REFERENCE_OFF, req.efrap(), p.epochs(), req.pruneRatio(), p.seed());
        CalibrationConfig cc = CalibrationConfig.LAC.withBatches(p.calibrationBatches(), p.calibrationBatches());
        Map<String, Object> settings = settings(req);
        DefendedRun.Plan plan = new DefendedRun.Plan(p.model(), p.data(), p.quantizer(), p.deployment().prepare(), cc,
                List.of(d), options, true, true, 0, req.outputDir(), false, settings, null, null, req.scan(), req.rangeSweep(),
                req.requantizeCheck());
        DefendedRun.Outcome o = DefendedRun.run(plan, memo, progress);
        Map<String, Object> recorded = new LinkedHashMap<>(settings);
        recorded.putAll(o.facts());
        Map<String, Object> quant = new LinkedHashMap<>(PtqStages.describe(null, plan.naiveQuantizer(), plan.prepare(), cc));
        ResultDocument doc = Results.document("defend", o, quant, d.name(), recorded, recorded);
        return new DefendResult(d, doc, o.fp(), o.naive(), o.defended(), der(o.naive(), o.defended()),
                (System.nanoTime() - t0) / 1e9 + BaselineMemo.reusedSeconds(doc) - o.timings().getOrDefault("range_sweep", 0.0)
                        - o.timings().getOrDefault("requantize_check", 0.0),
                o.units(), o.defendedModel());
    }

    static Double der(PhaseMetrics naive, PhaseMetrics defended) {
        if (naive == null || defended == null || naive.asrNt() == null || defended.asrNt() == null) {
            return null;
        }
        return Results.round(Der.compute(naive.cda(), naive.asrNt(), defended.cda(), defended.asrNt()));
    }

    /** The protocol as results.json's settings. */
    static Map<String, Object> settings(DefendRequest req) {
        DefenseProtocol p = req.protocol();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("defense", req.defense().name());
        s.put("deployment", p.deployment().configName());
        s.put("bits", p.bits());
        if (p.abits() != 0) {
            s.put("abits", p.abits());
        }
        s.put("cali_batchsize", p.calibrationBatches());
        s.put("max_count", p.maxCount());
        s.put("seed", p.seed());
        s.putAll(req.defense().settings(new DefenseOptions(null, null, req.efrap(), p.epochs(), req.pruneRatio(), p.seed())));
        return s;
    }
}
