package io.lac4j.scan;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;
import io.lac4j.data.Normalization;
import io.lac4j.engine.Engines;
import io.lac4j.engine.Progress;
import io.lac4j.optim.Adam;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

/**
 * Optimises one mask and pattern per class at once, each class on its own block of the batch (BN in
 * eval mode keeps the blocks independent). The mask has a fixed area: {@code m = min(1, A·softmax(ℓ))}
 * over the pixels with {@code A = budget·H·W}, so every class gets the same amount of mask and no
 * size penalty has to be weighed against the cross-entropy. Loss per class:
 * {@code CE(attacked(x ⊕ t), k) + w·CE(keep(x ⊕ t), keep's clean prediction)}; the second term is the
 * differential one (omitted when {@code keep} is null).
 */
final class TriggerInversion {
    private TriggerInversion() {}

    /**
     * @param images normalised clean images, {@code n·C·H·W} floats
     * @param reference the FP model's top-1 class of each image (images already in class k are not used for k)
     */
    static List<RecoveredTrigger> invert(UnaryOperator<NDArray> attacked, UnaryOperator<NDArray> keep, float[] images,
                                         int[] reference, int[] chw, int classes, Normalization norm, ScanConfig cfg,
                                         long seed, Progress progress, String task, NDManager parent) {
        int per = chw[0] * chw[1] * chw[2];
        SplittableRandom rng = new SplittableRandom(seed);
        float[] patternInit = new float[classes * per];
        for (int i = 0; i < patternInit.length; i++) {
            patternInit[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        int[] all = java.util.stream.IntStream.range(0, classes).toArray();
        return optimise(attacked, keep, images, reference, chw, classes, norm, cfg.budget(), cfg.fpWeight(), 0, all,
                new float[classes * chw[1] * chw[2]], patternInit, cfg.steps(), cfg.batchPerClass(), cfg.lr(), rng, 0, null,
                progress, task, parent);
    }

    /**
     * How the suspect's pattern is continued.
     *
     * @param steps Adam steps
     * @param batch clean images per step
     * @param selectEvery every so many steps (and before the first and after the last) the pattern is scored on
     *     {@code selectImages} of the optimisation images and the best-scoring one is kept (0: the last step's)
     * @param selectImages how many optimisation images score a pattern
     * @param fpMargin the FP term penalises an image only once the FP model's cross-entropy on its own clean class
     *     exceeds this (0: plain cross-entropy, every image always)
     */
    record Refinement(int steps, int batch, int selectEvery, int selectImages, double fpMargin) {
        /** Plain continuation: the last step's pattern, the FP term as in the search. */
        static Refinement plain(int steps, int batch) {
            return new Refinement(steps, batch, 0, 0, 0);
        }
    }

    /** The refined pattern and the step whose pattern it is (0: the start scored best). */
    record Refined(RecoveredTrigger trigger, int step) {}

    /**
     * Continues the optimisation of one class's pattern alone, from where {@code start} is, with more
     * images per step: the search over all classes is short so that it stays cheap, the suspect's pattern
     * then gets the steps that make it the trigger's best stand-in. Starts Adam afresh at a third of the
     * learning rate so its first steps do not throw the pattern away. With selection, each scored pattern's
     * score is its flip rate on the attacked model minus that on the kept one, on optimisation images only.
     */
    static Refined refine(UnaryOperator<NDArray> attacked, UnaryOperator<NDArray> keep, float[] images, int[] reference,
                          int[] chw, int classes, Normalization norm, double budget, double fpWeight,
                          RecoveredTrigger start, Refinement how, double lr, long seed, Progress progress,
                          String task, NDManager parent) {
        float[] maskInit = new float[start.mask().length];
        for (int i = 0; i < maskInit.length; i++) {
            maskInit[i] = (float) Math.log(Math.max(start.mask()[i], 1e-6f));   // softmax(log m) ∝ m
        }
        float[] patternInit = new float[start.pattern().length];
        for (int i = 0; i < patternInit.length; i++) {
            double p = Math.min(Math.max(start.pattern()[i], 1e-4), 1 - 1e-4);
            patternInit[i] = (float) Math.log(p / (1 - p));
        }
        Watcher watcher = null;
        Best best = new Best();
        if (how.selectEvery() > 0) {
            int per = chw[0] * chw[1] * chw[2];
            int m = Math.min(how.selectImages(), reference.length);
            float[] scored = java.util.Arrays.copyOf(images, m * per);
            int[] scoredRef = java.util.Arrays.copyOf(reference, m);
            watcher = (step, now) -> {
                RecoveredTrigger t = now.get(0);
                double score = FlipRate.difference(attacked, keep, t, scored, scoredRef, chw, norm, parent);
                if (best.trigger == null || score > best.score) {
                    best.trigger = t;
                    best.score = score;
                    best.step = step;
                }
            };
        }
        RecoveredTrigger last = optimise(attacked, keep, images, reference, chw, classes, norm, budget, fpWeight,
                how.fpMargin(), new int[] {start.targetClass()}, maskInit, patternInit, how.steps(), how.batch(), lr / 3,
                new SplittableRandom(seed), how.selectEvery(), watcher, progress, task, parent).get(0);
        return best.trigger == null ? new Refined(last, how.steps()) : new Refined(best.trigger, best.step);
    }

    /** Sees the patterns after a step (0: before the first). */
    private interface Watcher {
        void at(int step, List<RecoveredTrigger> now);
    }

    private static final class Best {
        RecoveredTrigger trigger;
        double score;
        int step;
    }

    /** Adam on the mask and pattern logits of the classes in {@code which}, one block of {@code b} images each. */
    private static List<RecoveredTrigger> optimise(UnaryOperator<NDArray> attacked, UnaryOperator<NDArray> keep, float[] images,
                                                   int[] reference, int[] chw, int classes, Normalization norm, double budget,
                                                   double fpWeightValue, double fpMargin, int[] which, float[] maskInit,
                                                   float[] patternInit, int steps, int b, double lr, SplittableRandom rng,
                                                   int watchEvery, Watcher watcher, Progress progress, String task,
                                                   NDManager parent) {
        int c = chw[0];
        int h = chw[1];
        int w = chw[2];
        int hw = h * w;
        int per = c * hw;
        int blocks = which.length;
        int[][] pool = poolsByClass(reference, classes);
        try (NDManager work = parent.newSubManager()) {
            NDArray maskLogit = work.create(maskInit, new Shape(blocks, hw));
            NDArray patternLogit = work.create(patternInit, new Shape(blocks, c, h, w));
            maskLogit.setRequiresGradient(true);
            patternLogit.setRequiresGradient(true);
            Adam adam = new Adam(List.of(maskLogit, patternLogit), work, 0);
            NDArray mean = work.create(norm.mean(), new Shape(1, 1, c, 1, 1));
            NDArray std = work.create(norm.std(), new Shape(1, 1, c, 1, 1));
            NDArray one = Engines.scalar(work, 1);
            NDArray area = Engines.scalar(work, budget * hw);
            NDArray fpWeight = Engines.scalar(work, fpWeightValue);
            NDArray perClass = Engines.scalar(work, b);
            float[] batch = new float[blocks * b * per];
            float[] targets = new float[blocks * b * classes];
            float[] kept = new float[blocks * b * classes];
            NDArray margin = Engines.scalar(work, fpMargin);
            // the hinge's floor as a libtorch scalar: maximum's backward reads it (engine.FreedBufferPoison)
            NDArray zero = Engines.scalar(work, 0);
            if (watcher != null) {
                watcher.at(0, recovered(maskLogit, patternLogit, area, which, c, h, w));
            }
            for (int step = 1; step <= steps; step++) {
                java.util.Arrays.fill(targets, 0f);
                java.util.Arrays.fill(kept, 0f);
                for (int i = 0; i < blocks; i++) {
                    int k = which[i];
                    for (int j = 0; j < b; j++) {
                        int row = i * b + j;
                        int img = pool[k][rng.nextInt(pool[k].length)];
                        System.arraycopy(images, img * per, batch, row * per, per);
                        targets[row * classes + k] = 1f;
                        kept[row * classes + reference[img]] = 1f;
                    }
                }
                double lossValue;
                try (NDManager sm = work.newSubManager()) {
                    // every result of an op lands in its first operand's manager: the step's, freed with it
                    sm.tempAttachAll(maskLogit, patternLogit, mean, std, one, area, fpWeight, perClass, margin, zero);
                    NDArray x = sm.create(batch, new Shape(blocks, b, c, h, w));
                    NDArray toTarget = sm.create(targets, new Shape(blocks * b, classes));
                    NDArray toKept = sm.create(kept, new Shape(blocks * b, classes));
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray m = mask(maskLogit, area).reshape(blocks, 1, 1, h, w);
                        NDArray p = Activation.sigmoid(patternLogit).reshape(blocks, 1, c, h, w).sub(mean).div(std);
                        NDArray stamped = x.mul(one.sub(m)).add(p.mul(m)).reshape(blocks * b, c, h, w);
                        NDArray loss = crossEntropy(attacked.apply(stamped), toTarget).div(perClass);
                        if (keep != null && fpWeightValue > 0) {
                            NDArray keepTerm = fpMargin > 0
                                    ? crossEntropyPerImage(keep.apply(stamped), toKept).sub(margin).maximum(zero).sum()
                                    : crossEntropy(keep.apply(stamped), toKept);
                            loss = loss.add(keepTerm.div(perClass).mul(fpWeight));
                        }
                        Engines.backward(gc, loss);
                        lossValue = loss.getFloat() / blocks;
                    }
                }
                adam.step(lr);
                progress.step(task, step, steps, String.format("loss %.3f", lossValue));
                if (watcher != null && (step % watchEvery == 0 || step == steps)) {
                    watcher.at(step, recovered(maskLogit, patternLogit, area, which, c, h, w));
                }
            }
            return recovered(maskLogit, patternLogit, area, which, c, h, w);
        }
    }

    /** {@code min(1, A·softmax(ℓ))} per class, {@code [classes, H·W]}. */
    private static NDArray mask(NDArray logit, NDArray area) {
        return logit.softmax(1).mul(area).clip(0, 1);
    }

    /** Σ over the batch of −log softmax at the one-hot class. */
    private static NDArray crossEntropy(NDArray logits, NDArray oneHot) {
        return logits.logSoftmax(1).mul(oneHot).sum().neg();
    }

    /** −log softmax at the one-hot class, per image. */
    private static NDArray crossEntropyPerImage(NDArray logits, NDArray oneHot) {
        return logits.logSoftmax(1).mul(oneHot).sum(new int[] {1}).neg();
    }

    private static List<RecoveredTrigger> recovered(NDArray maskLogit, NDArray patternLogit, NDArray area, int[] which,
                                                    int c, int h, int w) {
        float[] m = mask(maskLogit, area).toFloatArray();
        float[] p = Activation.sigmoid(patternLogit).toFloatArray();
        int hw = h * w;
        List<RecoveredTrigger> out = new ArrayList<>();
        for (int i = 0; i < which.length; i++) {
            int k = which[i];
            float[] mk = java.util.Arrays.copyOfRange(m, i * hw, (i + 1) * hw);
            double sum = 0;
            for (float v : mk) {
                sum += v;
            }
            out.add(new RecoveredTrigger(k, c, h, w, mk, java.util.Arrays.copyOfRange(p, i * c * hw, (i + 1) * c * hw),
                    sum / hw));
        }
        return out;
    }

    /** Per class, the images whose reference class is another one. */
    static int[][] poolsByClass(int[] reference, int classes) {
        int[][] pool = new int[classes][];
        for (int k = 0; k < classes; k++) {
            int kk = k;
            pool[k] = java.util.stream.IntStream.range(0, reference.length).filter(i -> reference[i] != kk).toArray();
            if (pool[k].length == 0) {
                throw new IllegalArgumentException("scan: every clean image is predicted as class " + k
                        + "; the scan needs images of other classes");
            }
        }
        return pool;
    }
}
