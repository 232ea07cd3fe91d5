package io.lac4j.defense;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.lac4j.Lac4jException;
import io.lac4j.data.CalibrationList;
import io.lac4j.data.DataView;
import io.lac4j.data.Normalization;
import io.lac4j.engine.Seeds;
import io.lac4j.nn.Graph;
import io.lac4j.optim.Adam;
import io.lac4j.quant.Calibration;
import io.lac4j.quant.FakeQuantizer;
import io.lac4j.quant.QuantizedModel;
import io.lac4j.scan.RecoveredTrigger;
import io.lac4j.scan.ScanConfig;
import io.lac4j.scan.Scanner;
import io.lac4j.training.LrSchedule;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

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
    /** Passes over the reconstruction list's images. */
    static final int EPOCHS = 3;
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
    public Map<String, Object> settings(DefenseOptions options) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("epochs", EPOCHS);
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
        StepImages source = (positions, step, m) -> {
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
        distil(qm, fp, source, recon.images(), ctx.calibration().activation(), Seeds.forStage(o.seed(), "qad-order"),
                refineAgain, ctx);
        ctx.timings().put("distillation", (System.nanoTime() - t1) / 1e9);
        return Defended.of(qm);
    }

    /** The normalised training images of one step, created in {@code m}. */
    @FunctionalInterface
    interface StepImages {
        NDArray images(int[] positions, long step, NDManager m);
    }

    /**
     * {@link #EPOCHS} passes over {@code n} images in a seeded order, batches of {@link #BATCH}: KL(FP ‖ quantized)
     * with the quantizers on, Adam on every parameter; after each epoch the ranges follow the weights, then (but
     * after the last) {@code betweenEpochs} runs with gradients off.
     */
    private static void distil(QuantizedModel qm, Graph fp, StepImages source, int n, CalibrationList act, long seed,
                               Runnable betweenEpochs, DefenseContext ctx) {
        Graph g = qm.graph();
        // sorted by state_dict key: parameters() may come in any order, the optimizer's state matches by position
        List<NDArray> params = g.parameters().entrySet().stream()
                .sorted(Map.Entry.comparingByKey()).map(Map.Entry::getValue).toList();
        fp.setTraining(false);
        g.setTraining(false);
        try (NDManager state = ctx.manager().newSubManager()) {
            Adam opt = new Adam(params, state, 0.0);
            SplittableRandom order = new SplittableRandom(seed);
            int steps = (n + BATCH - 1) / BATCH;
            for (int e = 0; e < EPOCHS; e++) {
                int[] perm = permutation(n, order);
                setRequiresGradient(params, true);
                for (int b = 0; b < steps; b++) {
                    int step = e * steps + b;
                    double lr = LrSchedule.cosine().lr(LR, step, EPOCHS * steps);
                    int[] positions = Arrays.copyOfRange(perm, b * BATCH, Math.min(n, (b + 1) * BATCH));
                    try (NDManager s = state.newSubManager()) {
                        // a conv attaches its weight to the input's manager: the step's own arrays keep it there
                        s.tempAttachAll(params.toArray(NDArray[]::new));
                        NDArray x = source.images(positions, step, s);
                        NDArray teacher = fp.forward(x).softmax(1);
                        qm.enableQuantization();
                        float loss;
                        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                            NDArray logp = qm.forward(x).logSoftmax(1);
                            NDArray kl = teacher.mul(teacher.add(1e-12f).log().sub(logp)).sum(new int[] {1}).mean();
                            loss = kl.getFloat();
                            if (!Float.isFinite(loss)) {
                                throw new Lac4jException("qad: epoch " + (e + 1) + " step " + (b + 1) + ": loss is " + loss);
                            }
                            gc.backward(kl);
                        }
                        opt.step(lr);
                        ctx.progress().step("qad: distilling, epoch " + (e + 1) + "/" + EPOCHS, b + 1, steps,
                                String.format("kl %.4f", loss));
                    }
                }
                setRequiresGradient(params, false);
                boolean last = e == EPOCHS - 1;
                recalibrate(qm, act, last ? act.size() : Math.min(RECALIBRATION_BATCHES, act.size()), ctx);
                if (!last) {
                    betweenEpochs.run();
                }
            }
        } finally {
            setRequiresGradient(params, false);
        }
    }

    private static void setRequiresGradient(List<NDArray> params, boolean on) {
        for (NDArray p : params) {
            p.setRequiresGradient(on);
        }
    }

    /** Fresh observers, then the deployment's calibration on the first {@code batches} of the clean activation list. */
    private static void recalibrate(QuantizedModel qm, CalibrationList act, int batches, DefenseContext ctx) {
        for (FakeQuantizer q : qm.quantizers()) {
            if (q.observer() != null) {
                q.observer().reset();
            }
        }
        Calibration.run(qm, batches, act::batch, ctx.manager(), ctx.progress());
    }

    private static int[] permutation(int n, SplittableRandom r) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
