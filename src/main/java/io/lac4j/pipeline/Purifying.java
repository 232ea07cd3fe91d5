package io.lac4j.pipeline;

import io.lac4j.InputException;
import io.lac4j.defense.DefenseOptions;
import io.lac4j.defense.PtqDefense;
import io.lac4j.engine.Progress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code lac4j purify} as a configuration of {@link DefendedRun}: the reference's pipeline with the
 * YAML's quantizer, reconstruction and PDA settings, LAC as the one defense (none for {@code
 * quantize_type: naive_ptq}), drift profiles before and after, state saved for {@code --resume}.
 */
final class Purifying {
    private Purifying() {}

    static PurifyResult run(PurifyRequest req, Progress progress) {
        DefenseOptions options;
        try {
            options = new DefenseOptions(req.reconstruction(), req.pda(), null, DefenseOptions.OWN_EPOCHS,
                    DefenseOptions.DEFAULT_PRUNE_RATIO, req.seed());
        } catch (IllegalArgumentException e) {
            throw new InputException("config: " + e.getMessage(), e);
        }
        DefendedRun.Plan plan = new DefendedRun.Plan(req.model(), req.data(), req.quant(), req.prepare(), req.calibration(),
                req.advanced() ? List.of(PtqDefense.asConfigured(req.method())) : List.of(), options, true, true,
                req.driftImages(), req.outputDir(), req.resume(), req.settings(), null, null, req.scan());
        DefendedRun.Outcome o = DefendedRun.run(plan, BaselineMemo.NONE, progress);
        Map<String, Object> quant = new LinkedHashMap<>(PtqStages.describe(null, req.quant(), req.prepare(), req.calibration()));
        quant.put("reconstruction", req.reconstruction().toString());
        quant.put("pda", req.pda().toString());
        ResultDocument doc = Results.document("purify", o, quant, req.method(), req.settings(),
                req.settings().isEmpty() ? req : req.settings());
        return new PurifyResult(doc, o.fp(), o.naive(), o.phases().isEmpty() ? null : o.defended(), o.units(),
                o.defendedModel(), o.drift());
    }
}
