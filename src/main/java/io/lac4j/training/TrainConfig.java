package io.lac4j.training;

import io.lac4j.optim.Optimizer;
/**
 * How a training run goes: optimizer, schedule, batches, BatchNorm handling, which epoch is kept.
 *
 * @param trainImages use a seeded random subset of this many training images (0 = all)
 * @param augmentPadding RandomCrop padding with horizontal flip, {@code -1} for none, {@code < -1} for the data
 *     set's default (H/8), resolved by {@link #withAugmentPadding} before the run
 * @param evalImages test images evaluated after every epoch (0 = none, checkpoint selection by loss)
 */
public record TrainConfig(
        int epochs,
        int batchSize,
        Optimizer.Kind optimizer,
        double lr,
        double momentum,
        double weightDecay,
        boolean nesterov,
        LrSchedule schedule,
        int augmentPadding,
        BnMode bnMode,
        Selection selection,
        int trainImages,
        int evalImages,
        long seed) {

    /** The same run with this padding (the resolved default goes into the manifest, not the sentinel). */
    public TrainConfig withAugmentPadding(int px) {
        return new TrainConfig(epochs, batchSize, optimizer, lr, momentum, weightDecay, nesterov, schedule, px, bnMode,
                selection, trainImages, evalImages, seed);
    }

    /** Train or freeze BatchNorm statistics. */
    public enum BnMode {
        /** {@code model.train()}: batch statistics, running statistics updated. */
        TRAIN,
        /** BatchNorm in eval mode (running statistics frozen, γ/β still trained), as Qu-ANTI-zation and PQBackdoor's stage 2. */
        FROZEN
    }

    /** Which epoch's weights are written as the result. */
    public enum Selection {
        LAST,
        /** Lowest epoch-average training loss (Qu-ANTI-zation). */
        LOWEST_LOSS,
        /** Best FP clean accuracy (PQBackdoor stage 2, clean training). */
        BEST_CDA,
        /** Best FP CDA + ASR (BadNets / PQBackdoor stage 1). */
        BEST_CDA_PLUS_ASR
    }

    public TrainConfig {
        if (epochs <= 0) {
            throw new IllegalArgumentException("--epochs: expected > 0, got " + epochs);
        }
        if (batchSize <= 0) {
            throw new IllegalArgumentException("--batch-size: expected > 0, got " + batchSize);
        }
        if (!(lr > 0)) {
            throw new IllegalArgumentException("--lr: expected > 0, got " + lr);
        }
        if (trainImages < 0 || evalImages < 0) {
            throw new IllegalArgumentException("--train-images/--eval-images: expected >= 0");
        }
        if (schedule == null || optimizer == null || bnMode == null || selection == null) {
            throw new IllegalArgumentException("training config: every field must be set");
        }
        if ((selection == Selection.BEST_CDA || selection == Selection.BEST_CDA_PLUS_ASR) && evalImages == 0) {
            throw new IllegalArgumentException("selection " + selection + " needs --eval-images > 0");
        }
    }

    /** The optimizer this configuration asks for, over {@code params}. */
    public io.lac4j.optim.Optimizer newOptimizer(java.util.List<ai.djl.ndarray.NDArray> params, ai.djl.ndarray.NDManager manager) {
        return optimizer() == io.lac4j.optim.Optimizer.Kind.SGD
                ? new io.lac4j.optim.Sgd(params, manager, momentum(), weightDecay(), nesterov())
                : new io.lac4j.optim.Adam(params, manager, weightDecay());
    }
}
