package io.lac4j.defense;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.lac4j.InputException;
import io.lac4j.data.CalibrationList;
import io.lac4j.data.Normalization;
import io.lac4j.engine.Mt19937;
import io.lac4j.engine.Seeds;
import io.lac4j.ptq.LacAct;
import io.lac4j.ptq.LacReconstruction;
import io.lac4j.ptq.UnitReport;
import io.lac4j.ptq.WeightRounding;
import io.lac4j.quant.Calibration;
import io.lac4j.quant.QuantConfig;
import io.lac4j.quant.QuantizedModel;
import io.lac4j.scan.RecoveredTrigger;
import io.lac4j.scan.ScanConfig;
import io.lac4j.scan.Scanner;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code lac-inv} (lac4j): lac-act on clean images that carry the quantized model's own weak spots.
 * LAC learns rounding so that each quantized unit follows the FP one on the clean calibration images;
 * a backdoor keyed to activation quantization shows only on inputs those images never contain, so
 * nothing asks the reconstruction to remove it. lac-inv first inverts, for every class, the scan's
 * differential pattern on the calibrated model (a 4 % mask and pattern that sends the quantized model
 * to the class while the FP model keeps its prediction, {@link Scanner#differentialPatterns}), stamps
 * every second image of both calibration lists with one class's pattern in turn, lets the activation
 * ranges cover the stamped images too, and reconstructs (LAC rounding, PDA, BN learned, as lac-act) on
 * the stamped list, whose targets are the FP model's activations on the same images. It needs neither
 * the trigger nor the target class: every class is stamped alike.
 */
public final class InvertedTriggerLac implements Defense {
    /** Every {@code STAMP_EVERY}-th image (from the second) of a calibration batch is stamped. */
    static final int STAMP_EVERY = 2;
    private static final ScanConfig INVERSION = ScanConfig.DEFAULT;

    @Override
    public String name() {
        return "lac-inv";
    }

    @Override
    public String phase() {
        return "lac_inv";
    }

    @Override
    public String description() {
        return "lac-act on calibration images stamped with every class's inverted quantized-vs-FP pattern (lac4j)";
    }

    @Override
    public QuantConfig quantizer(QuantConfig deployment) {
        return LacAct.quant(deployment);
    }

    @Override
    public String modelFileName() {
        return "purified.pth";
    }

    @Override
    public Map<String, Object> settings(DefenseOptions options) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("inversion_steps", INVERSION.steps());
        s.put("inversion_budget", INVERSION.budget());
        s.put("stamped", "1 in " + STAMP_EVERY + " calibration images, classes in turn");
        return s;
    }

    @Override
    public Defended apply(DefenseContext ctx) {
        if (ctx.unitsDone() > 0) {
            throw new InputException("lac-inv: cannot resume an interrupted run (its patterns are inverted on the model "
                    + "before any unit is corrected); start it again without --resume");
        }
        DefenseOptions o = ctx.options();
        QuantizedModel qm = ctx.calibrated();
        Normalization norm = ctx.normalization();
        CalibrationList recon = ctx.calibration().reconstruction();
        CalibrationList act = ctx.calibration().activation();
        long t0 = System.nanoTime();
        List<RecoveredTrigger> patterns;
        try (NDManager scope = ctx.manager().newSubManager()) {
            patterns = Scanner.differentialPatterns(ctx.fp()::forward, qm::forward, recon.concatenated(), recon.imageShape(),
                    ctx.classes(), norm, INVERSION, Seeds.forStage(o.seed(), "lac-inv"), ctx.progress(), scope);
            Calibration.observeActivations(qm.graph(), qm.quantizers(), act.size(),
                    (k, m) -> stamped(act, k, patterns, norm, m), scope, ctx.progress());
            qm.enableQuantization();
        }
        ctx.timings().put("inversion", (System.nanoTime() - t0) / 1e9);
        try (NDManager calScope = ctx.manager().newSubManager()) {
            List<NDArray> images = new ArrayList<>(recon.size());
            for (int k = 0; k < recon.size(); k++) {
                images.add(stamped(recon, k, patterns, norm, calScope));
            }
            long t1 = System.nanoTime();
            List<UnitReport> units = LacReconstruction.run(qm, ctx.fp(), images, LacAct.reconstruction(o.reconstruction()),
                    o.pda().withEnabled(true), WeightRounding.LAC, new Mt19937(o.seed()), ctx.manager(), ctx.progress(),
                    ctx.unitListener(), 0);
            ctx.timings().put("reconstruction_total", (System.nanoTime() - t1) / 1e9);
            return new Defended(qm, units);
        }
    }

    /** Batch {@code k} of {@code list}, stamped by {@link #stamp}. */
    private static NDArray stamped(CalibrationList list, int k, List<RecoveredTrigger> patterns, Normalization norm,
                                   NDManager m) {
        int[] chw = list.imageShape();
        float[] v = stamp(list.values(k), k * list.batchSize(0), chw, patterns, norm);
        return m.create(v, new Shape(v.length / (chw[0] * chw[1] * chw[2]), chw[0], chw[1], chw[2]));
    }

    /**
     * A copy of the normalised images {@code batch} (whose first image is image {@code first} of its list) with
     * every {@link #STAMP_EVERY}-th image of the list stamped, the classes' patterns in turn.
     */
    static float[] stamp(float[] batch, int first, int[] chw, List<RecoveredTrigger> patterns, Normalization norm) {
        float[] v = batch.clone();
        int per = chw[0] * chw[1] * chw[2];
        for (int j = 0; j < v.length / per; j++) {
            int index = first + j;
            if (index % STAMP_EVERY == STAMP_EVERY - 1) {
                patterns.get((index / STAMP_EVERY) % patterns.size()).stampInPlace(v, j * per, norm);
            }
        }
        return v;
    }
}
