package io.lac4j.pipeline;

import io.lac4j.data.CalibrationConfig;
import io.lac4j.engine.Progress;
import io.lac4j.eval.Der;
import io.lac4j.eval.PhaseMetrics;
import io.lac4j.ptq.EfrapConfig;
import io.lac4j.ptq.EfrapRounding;
import io.lac4j.ptq.PdaConfig;
import io.lac4j.ptq.LacAct;
import io.lac4j.ptq.ReconstructionConfig;
import io.lac4j.ptq.WeightRounding;
import io.lac4j.quant.Observer;
import io.lac4j.quant.QuantConfig;
import io.lac4j.quant.QuantizerKind;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs one {@link Defense} under a {@link DefenseProtocol}. Every PTQ defense is the purify
 * pipeline (same calibration lists, units, batch stream) with its own quantizer kinds, observers
 * and weight rounding; FT and Fine-Pruning go through {@link FineTuneDefense}.
 */
final class Defenses {
    private Defenses() {}

    static DefendResult run(DefendRequest req, Progress progress) {
        return run(req, BaselineMemo.NONE, progress);
    }

    /**
     * One defense, with FP and naive-PTQ metrics from {@code memo} when an earlier run of the same
     * model measured them; the result's seconds include those evaluations' original time.
     */
    static DefendResult run(DefendRequest req, BaselineMemo memo, Progress progress) {
        long t0 = System.nanoTime();
        Defense d = req.defense();
        if (d == Defense.FT || d == Defense.FINE_PRUNING) {
            return FineTuneDefense.run(req, memo, progress, t0);
        }
        DefenseProtocol p = req.protocol();
        boolean advanced = d != Defense.NAIVE && d != Defense.MINMAX;
        PurifyRequest pr = new PurifyRequest(p.model(), p.data(), quant(d, p), p.deployment().prepare(),
                CalibrationConfig.LAC.withBatches(p.calibrationBatches(), p.calibrationBatches()), advanced,
                d == Defense.LAC_ACT ? LacAct.reconstruction(ReconstructionConfig.REFERENCE.withMaxCount(p.maxCount()))
                        : ReconstructionConfig.REFERENCE.withMaxCount(p.maxCount()),
                d == Defense.LAC_PDA || d == Defense.LAC_ACT ? PdaConfig.REFERENCE_ON : PdaConfig.REFERENCE_OFF,
                d.configName(), p.seed(), req.outputDir(), false, settings(req), 0);
        PurifyResult r = Purification.run(pr, rounding(d, req), "defend", d.phase() == null ? "purified" : d.phase(), memo,
                progress);
        PhaseMetrics defended = advanced ? r.purified() : r.naive();
        return new DefendResult(d, r.document(), r.fp(), r.naive(), defended, der(r.naive(), defended),
                (System.nanoTime() - t0) / 1e9 + BaselineMemo.reusedSeconds(r.document()), r.units(), r.purifiedModel());
    }

    /** The protocol's deployment at its bits, with the defense's quantizer kinds and observers. */
    static QuantConfig quant(Defense d, DefenseProtocol p) {
        QuantConfig deployed = p.deployment().config(p.bits());
        return switch (d) {
            case MINMAX -> deployed.withKinds(Observer.Kind.MIN_MAX, Observer.Kind.MIN_MAX, QuantizerKind.FIXED, QuantizerKind.FIXED);
            case ADAROUND -> deployed.withKinds(deployed.weightObserver(), deployed.activationObserver(),
                    QuantizerKind.ADAROUND_SIGMOID, QuantizerKind.FIXED);
            case EFRAP -> deployed.withKinds(deployed.weightObserver(), deployed.activationObserver(),
                    QuantizerKind.EFRAP_ADAROUND, QuantizerKind.FIXED);
            case LAC_ACT -> LacAct.quant(deployed);
            default -> deployed;
        };
    }

    private static WeightRounding rounding(Defense d, DefendRequest req) {
        return switch (d) {
            case EFRAP -> new EfrapRounding(req.efrap(), "efrap");
            case ADAROUND -> new EfrapRounding(EfrapConfig.adaRound(req.protocol().maxCount()), "adaround");
            default -> WeightRounding.LAC;
        };
    }

    static Double der(PhaseMetrics naive, PhaseMetrics defended) {
        if (naive.asrNt() == null || defended.asrNt() == null) {
            return null;
        }
        return Results.round(Der.compute(naive.cda(), naive.asrNt(), defended.cda(), defended.asrNt()));
    }

    /** The protocol as results.json's settings. */
    static Map<String, Object> settings(DefendRequest req) {
        DefenseProtocol p = req.protocol();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("defense", req.defense().configName());
        s.put("deployment", p.deployment().configName());
        s.put("bits", p.bits());
        s.put("cali_batchsize", p.calibrationBatches());
        s.put("max_count", p.maxCount());
        s.put("seed", p.seed());
        if (req.defense() == Defense.EFRAP) {
            s.put("efrap", Map.of("lambda_flip", req.efrap().lambdaFlip(), "lambda_round", req.efrap().lambdaRound(),
                    "beta", req.efrap().beta(), "weighting", req.efrap().weighting().configName()));
        }
        if (req.defense() == Defense.FT || req.defense() == Defense.FINE_PRUNING) {
            s.put("epochs", p.epochs());
        }
        if (req.defense() == Defense.FINE_PRUNING) {
            s.put("prune_ratio", req.pruneRatio());
        }
        return s;
    }
}
