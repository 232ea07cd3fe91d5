package io.lac4j.pipeline;

import io.lac4j.data.CalibrationConfig;
import io.lac4j.defense.DefenseOptions;
import io.lac4j.engine.Progress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code lac4j scan} as a configuration of {@link DefendedRun}: no baseline evaluation (the scan uses
 * neither the test set nor a trigger), the deployment calibrated as naive PTQ would, then the scan.
 */
final class Scanning {
    private Scanning() {}

    static ResultDocument run(ScanRequest req, Progress progress) {
        DefenseProtocol p = req.protocol();
        CalibrationConfig cc = CalibrationConfig.LAC.withBatches(p.calibrationBatches(), p.calibrationBatches());
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("deployment", p.deployment().configName());
        settings.put("bits", p.bits());
        if (p.abits() != 0) {
            settings.put("abits", p.abits());
        }
        settings.put("cali_batchsize", p.calibrationBatches());
        settings.put("seed", p.seed());
        DefendedRun.Plan plan = new DefendedRun.Plan(p.model(), p.data(), p.quantizer(), p.deployment().prepare(), cc, List.of(),
                DefenseOptions.reference(0, p.seed()), false, false, 0, req.outputDir(), false, settings, null, null,
                req.config());
        DefendedRun.Outcome o = DefendedRun.run(plan, BaselineMemo.NONE, progress);
        Map<String, Object> quant = new LinkedHashMap<>(PtqStages.describe(null, plan.naiveQuantizer(), plan.prepare(), cc));
        return Results.document("scan", o, quant, null, settings, settings);
    }
}
