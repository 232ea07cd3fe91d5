package io.lac4j.ptq;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.lac4j.engine.Mt19937;
import io.lac4j.engine.Progress;
import io.lac4j.nn.Graph;
import io.lac4j.quant.QuantizedModel;
import java.util.ArrayList;
import java.util.List;

/**
 * LAC's advanced PTQ (MQBench {@code ptq_reconstruction[_pda]}, LAC.md §8–9): for each unit in
 * graph order, cache its inputs (quantized path) and targets (FP path), optionally correct the
 * inputs with PDA, optimise its rounding offsets, harden. Returns per-unit reports; the
 * quantized model is modified in place and ends with every quantizer enabled.
 */
public final class LacReconstruction {
    private LacReconstruction() {}

    /** Called after each finished unit (for logs, reports and resumable state). */
    @FunctionalInterface
    public interface UnitListener {
        void unitDone(int index, ReconstructionUnit unit, UnitReport report);
    }

    /**
     * @param fp the FP graph (all quantizers disabled in the reference's terms)
     * @param calibration the reconstruction batches (LAC.md §3.2 (b)), in list order
     * @param rng the numpy-compatible batch stream, seeded with {@code process.seed}
     * @param skip units already finished (resume): they are hardened from a saved state by the caller
     */
    public static List<UnitReport> run(QuantizedModel qm, Graph fp, List<NDArray> calibration,
                                       ReconstructionConfig cfg, PdaConfig pda, Mt19937 rng, NDManager parent,
                                       Progress progress, UnitListener listener, int skip) {
        return run(qm, fp, calibration, cfg, pda, WeightRounding.LAC, rng, parent, progress, listener, skip);
    }

    /**
     * The same loop with another weight rounding ({@link EfrapRounding} for EFRAP or plain AdaRound):
     * the units, caching, batch stream and hardening order are LAC's.
     */
    public static List<UnitReport> run(QuantizedModel qm, Graph fp, List<NDArray> calibration,
                                       ReconstructionConfig cfg, PdaConfig pda, WeightRounding rounding, Mt19937 rng,
                                       NDManager parent, Progress progress, UnitListener listener, int skip) {
        qm.enableQuantization();
        qm.graph().setTraining(false);
        fp.setTraining(false);
        List<ReconstructionUnit> units = UnitExtractor.extract(qm, cfg.pattern());
        List<UnitReport> reports = new ArrayList<>();
        try (ActivationCache cache = new ActivationCache(qm.graph(), fp, calibration, parent)) {
            for (int u = 0; u < units.size(); u++) {
                ReconstructionUnit unit = units.get(u);
                if (u < skip) {
                    for (int i = 0; i < cfg.maxCount(); i++) {
                        rng.nextIndex(calibration.size());     // keep the shared stream where it would be
                    }
                    continue;
                }
                try (NDManager unitScope = parent.newSubManager()) {
                    long t0 = System.nanoTime();
                    List<NDArray> fpInputs = null;
                    if (cfg.prob() < 1.0) {
                        String producer = qm.isActivationQuantizer(unit.input()) ? qm.producerOf(unit.input()) : unit.input();
                        fpInputs = cache.advanceToWithFpInputs(unit, producer, unitScope);
                    } else {
                        cache.advanceTo(unit);
                    }
                    List<NDArray> inputs = cache.inputs(unit);
                    List<NDArray> targets = cache.targets(unit);
                    long t1 = System.nanoTime();
                    boolean pdaApplied = pda.enabled() && Pda.applies(unit);
                    if (pdaApplied) {
                        inputs = Pda.correctAll(qm.graph(), unit, inputs, pda, unitScope, progress);
                    }
                    if (cfg.actRecalibrate()) {
                        ActivationRecalibration.run(qm, unit, inputs, unitScope);
                    }
                    long t2 = System.nanoTime();
                    UnitRounding unitRounding = rounding.begin(qm, unit, unitScope);
                    float[] losses = UnitReconstruction.optimize(qm, unit, inputs, fpInputs, targets, cfg, rng, unitScope,
                            progress, unitRounding);
                    UnitReconstruction.harden(qm, unit, unitRounding);
                    long t3 = System.nanoTime();
                    UnitReport report = new UnitReport(unit.name(), losses, (t1 - t0) / 1e9, (t2 - t1) / 1e9,
                            (t3 - t2) / 1e9, pdaApplied);
                    reports.add(report);
                    listener.unitDone(u, unit, report);
                }
            }
        }
        qm.enableQuantization();
        return reports;
    }
}
