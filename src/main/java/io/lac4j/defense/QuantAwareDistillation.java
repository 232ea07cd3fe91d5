package io.lac4j.defense;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.lac4j.data.CalibrationList;
import io.lac4j.data.DataView;
import io.lac4j.data.Normalization;
import io.lac4j.engine.Seeds;
import io.lac4j.nn.Graph;
import io.lac4j.quant.QuantizedModel;
import io.lac4j.scan.RecoveredTrigger;
import io.lac4j.scan.ScanConfig;
import io.lac4j.scan.Scanner;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code qad} (lac4j): quantization-aware distillation from the FP model on images that carry the
 * quantized model's strongest weak spot. A QCB's FP model is the benign one, so the defense trains the
 * weights (and BN affine) of the deployment's own quantized model — fake quantizers on, straight-through
 * gradients, Adam — to give the FP model's output distribution (KL) on the clean calibration images with
 * training augmentation, every second one stamped with a pattern that sends the quantized model, but
 * not the FP model, to one class: the scan's search ({@link Scanner#strongestPatterns}) picks the class
 * whose pattern separates the two models most, and the runner-up when it comes within
 * {@link #RUNNER_UP_SHARE} of it, and refines their patterns (stamped in turn); after every epoch but the
 * last each pattern is refined again against the partly distilled model, so the stamping follows what is
 * left of the backdoor. Unlike LAC, which moves each weight by at most one rounding step, the weights move
 * freely, so a backdoor trained to survive LAC's rounding correction meets a change it was not trained
 * against. Ranges follow the weights on a few clean batches after each epoch and are observed afresh
 * on the whole clean activation list at the end, as the deployment calibrates. Needs neither the
 * trigger nor the target class.
 */
public final class QuantAwareDistillation implements Defense {
    /** Adam's learning rate at the first step, cosine-decayed to 0 over the run. */
    static final double LR = 1e-3;
    /** Passes over the reconstruction list's images when {@code --epochs} is not given. */
    public static final int EPOCHS = 3;
    /** Images per distillation step. */
    static final int BATCH = 32;
    /** Refinement steps of the stamped pattern after each epoch but the last. */
    static final int REFINE_AGAIN_STEPS = 20;
    /** Between epochs the ranges follow the weights on this many activation batches; after the last, on all. */
    static final int RECALIBRATION_BATCHES = 4;
    /**
     * The runner-up class's pattern is stamped too when its score is at least this share of the best's: on a model
     * whose FP model reacts to the trigger itself, the true target scored 0.87 of another class (quanti_a4, seed 1006).
     */
    static final double RUNNER_UP_SHARE = 0.75;
    private static final ScanConfig INVERSION = ScanConfig.DEFAULT;

    @Override
    public String name() {
        return "qad";
    }

    @Override
    public String phase() {
        return "qad";
    }

    @Override
    public String description() {
        return "quantization-aware distillation from the FP model on calibration images stamped with the inverted "
                + "strongest quantized-vs-FP pattern (lac4j)";
    }

    @Override
    public String modelFileName() {
        return "purified.pth";
    }

    @Override
    public java.util.Set<String> reads() {
        return java.util.Set.of(Defenses.EPOCHS);
    }

    @Override
    public Map<String, Object> settings(DefenseOptions options) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("epochs", options.epochsOr(EPOCHS));
        s.put("lr", LR);
        s.put("batch", BATCH);
        s.put("optimizer", "adam, cosine schedule, KL(FP || quantized)");
        s.put("inversion_steps", INVERSION.steps());
        s.put("inversion_budget", INVERSION.budget());
        s.put("refine_steps", INVERSION.refineSteps());
        s.put("refine_again_steps", REFINE_AGAIN_STEPS);
        s.put("runner_up_share", RUNNER_UP_SHARE);
        s.put("stamped", "1 in 2 images: the strongest class's refined pattern, in turn with the runner-up's when it"
                + " scores at least runner_up_share of the best");
        return s;
    }

    @Override
    public Defended apply(DefenseContext ctx) {
        DefenseOptions o = ctx.options();
        QuantizedModel qm = ctx.calibrated();
        Graph fp = ctx.fp();
        Normalization norm = ctx.normalization();
        CalibrationList recon = ctx.calibration().reconstruction();
        int[] chw = recon.imageShape();
        float[] images = recon.concatenated();
        long t0 = System.nanoTime();
        RecoveredTrigger[] pattern;
        try (NDManager scope = ctx.manager().newSubManager()) {
            pattern = Scanner.strongestPatterns(fp::forward, qm::forward, images, chw, ctx.classes(), norm, INVERSION,
                            RUNNER_UP_SHARE, Seeds.forStage(o.seed(), "qad"), ctx.progress(), scope)
                    .toArray(RecoveredTrigger[]::new);
        }
        ctx.timings().put("inversion", (System.nanoTime() - t0) / 1e9);
        ctx.facts().put("stamped_class", pattern[0].targetClass());
        ctx.facts().put("stamped_classes", Arrays.stream(pattern).map(RecoveredTrigger::targetClass).toList());
        long t1 = System.nanoTime();
        DataView view = ctx.cleanCalibrationView();
        long augmentSeed = Seeds.forStage(o.seed(), "qad-augment");
        Distillation.StepImages source = (positions, step, m) -> {
            NDArray x = view.batch(positions, m, augmentSeed ^ step).images();
            float[] v = x.toFloatArray();
            int per = chw[0] * chw[1] * chw[2];
            for (int i = 1; i < positions.length; i += 2) {
                pattern[(i / 2) % pattern.length].stampInPlace(v, i * per, norm);
            }
            return m.create(v, x.getShape());
        };
        long refineSeed = Seeds.forStage(o.seed(), "qad-refine");
        Runnable refineAgain = () -> {
            try (NDManager scope = ctx.manager().newSubManager()) {
                for (int i = 0; i < pattern.length; i++) {
                    pattern[i] = Scanner.refineAgain(fp::forward, qm::forward, images, chw, ctx.classes(), norm, INVERSION,
                            pattern[i], REFINE_AGAIN_STEPS, refineSeed + i, ctx.progress(), scope);
                }
            }
        };
        Distillation.run(qm, fp, source, recon.images(), ctx.calibration().activation(),
                Seeds.forStage(o.seed(), "qad-order"), refineAgain,
                new Distillation.Settings(o.epochsOr(EPOCHS), LR, BATCH, RECALIBRATION_BATCHES, null, null, 0, null), name(), ctx);
        ctx.timings().put("distillation", (System.nanoTime() - t1) / 1e9);
        return Defended.of(qm);
    }
}
