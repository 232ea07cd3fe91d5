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
        int c = chw[0];
        int h = chw[1];
        int w = chw[2];
        int hw = h * w;
        int per = c * hw;
        int b = cfg.batchPerClass();
        int[][] pool = poolsByClass(reference, classes);
        SplittableRandom rng = new SplittableRandom(seed);
        try (NDManager work = parent.newSubManager()) {
            NDArray maskLogit = work.zeros(new Shape(classes, hw));
            float[] init = new float[classes * per];
            for (int i = 0; i < init.length; i++) {
                init[i] = (float) (rng.nextDouble() * 2 - 1);
            }
            NDArray patternLogit = work.create(init, new Shape(classes, c, h, w));
            maskLogit.setRequiresGradient(true);
            patternLogit.setRequiresGradient(true);
            Adam adam = new Adam(List.of(maskLogit, patternLogit), work, 0);
            NDArray mean = work.create(norm.mean(), new Shape(1, 1, c, 1, 1));
            NDArray std = work.create(norm.std(), new Shape(1, 1, c, 1, 1));
            NDArray one = Engines.scalar(work, 1);
            NDArray area = Engines.scalar(work, cfg.budget() * hw);
            NDArray fpWeight = Engines.scalar(work, cfg.fpWeight());
            NDArray perClass = Engines.scalar(work, b);
            float[] batch = new float[classes * b * per];
            float[] targets = new float[classes * b * classes];
            float[] kept = new float[classes * b * classes];
            for (int step = 1; step <= cfg.steps(); step++) {
                java.util.Arrays.fill(targets, 0f);
                java.util.Arrays.fill(kept, 0f);
                for (int k = 0; k < classes; k++) {
                    for (int j = 0; j < b; j++) {
                        int row = k * b + j;
                        int img = pool[k][rng.nextInt(pool[k].length)];
                        System.arraycopy(images, img * per, batch, row * per, per);
                        targets[row * classes + k] = 1f;
                        kept[row * classes + reference[img]] = 1f;
                    }
                }
                double lossValue;
                try (NDManager sm = work.newSubManager()) {
                    // every result of an op lands in its first operand's manager: the step's, freed with it
                    sm.tempAttachAll(maskLogit, patternLogit, mean, std, one, area, fpWeight, perClass);
                    NDArray x = sm.create(batch, new Shape(classes, b, c, h, w));
                    NDArray toTarget = sm.create(targets, new Shape(classes * b, classes));
                    NDArray toKept = sm.create(kept, new Shape(classes * b, classes));
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray m = mask(maskLogit, area).reshape(classes, 1, 1, h, w);
                        NDArray p = Activation.sigmoid(patternLogit).reshape(classes, 1, c, h, w).sub(mean).div(std);
                        NDArray stamped = x.mul(one.sub(m)).add(p.mul(m)).reshape(classes * b, c, h, w);
                        NDArray loss = crossEntropy(attacked.apply(stamped), toTarget).div(perClass);
                        if (keep != null && cfg.fpWeight() > 0) {
                            loss = loss.add(crossEntropy(keep.apply(stamped), toKept).div(perClass).mul(fpWeight));
                        }
                        gc.backward(loss);
                        lossValue = loss.getFloat() / classes;
                    }
                }
                adam.step(cfg.lr());
                progress.step(task, step, cfg.steps(), String.format("loss %.3f", lossValue));
            }
            return recovered(maskLogit, patternLogit, area, classes, c, h, w);
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

    private static List<RecoveredTrigger> recovered(NDArray maskLogit, NDArray patternLogit, NDArray area, int classes,
                                                    int c, int h, int w) {
        float[] m = mask(maskLogit, area).toFloatArray();
        float[] p = Activation.sigmoid(patternLogit).toFloatArray();
        int hw = h * w;
        List<RecoveredTrigger> out = new ArrayList<>();
        for (int k = 0; k < classes; k++) {
            float[] mk = java.util.Arrays.copyOfRange(m, k * hw, (k + 1) * hw);
            double sum = 0;
            for (float v : mk) {
                sum += v;
            }
            out.add(new RecoveredTrigger(k, c, h, w, mk, java.util.Arrays.copyOfRange(p, k * c * hw, (k + 1) * c * hw),
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
