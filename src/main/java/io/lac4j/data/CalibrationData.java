package io.lac4j.data;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;

/**
 * The two calibration lists of LAC's main command (LAC.md §3.2), drawn once in the reference's
 * order from one seeded generator:
 *
 * <ol>
 *   <li>(b) reconstruction list: the train subset (the first {@code int(0.05 * len)} indices) is
 *       shuffled; the first 32 batches of 32 (fewer if the subset is smaller; the last batch may be
 *       partial, {@code drop_last=False}) get the train transform RandomCrop(H, H/8) + Flip +
 *       Normalize, drawn once here;
 *   <li>(a) activation-calibration list: the whole test split shuffled, first 32 batches of 32,
 *       test transform.
 * </ol>
 *
 * Shuffles are Fisher–Yates with {@code rng.nextInt}; the reference's exact selection (torch
 * sampler and worker seeds) cannot be reproduced outside PyTorch, so equality with it is
 * statistical, not bitwise.
 */
public final class CalibrationData {
    private final CalibrationList reconstruction;
    private final CalibrationList activation;

    private CalibrationData(CalibrationList reconstruction, CalibrationList activation) {
        this.reconstruction = reconstruction;
        this.activation = activation;
    }

    /** Draws (b) then (a) from {@code rng} with the sizes in {@code cfg}. */
    public static CalibrationData draw(
            ImageDataset train, ImageDataset test, Normalization norm, RandomGenerator rng, CalibrationConfig cfg) {
        int subsetSize = (int) (cfg.subsetFraction() * train.size());
        if (subsetSize <= 0) {
            throw new IllegalArgumentException(train.name() + ": calibration subset: expected int("
                    + cfg.subsetFraction() + " * " + train.size() + ") > 0, got " + subsetSize);
        }
        int[] subset;
        if (cfg.subset() == CalibrationConfig.Subset.FIRST) {
            subset = IntStream.range(0, subsetSize).toArray();
        } else {
            int[] all = IntStream.range(0, train.size()).toArray();
            shuffle(all, rng);
            subset = java.util.Arrays.copyOf(all, subsetSize);
            java.util.Arrays.sort(subset);
        }
        shuffle(subset, rng);
        Preprocessing trainPre = cfg.augmentReconstruction()
                ? Preprocessing.train(norm, train.height() / 8) : Preprocessing.test(norm);
        CalibrationList recon = materialise(train, subset, trainPre, cfg.batchSize(), cfg.reconstructionBatches(), rng);

        CalibrationList act;
        if (cfg.activationSource() == CalibrationConfig.ActivationSource.TEST) {
            int[] order = IntStream.range(0, test.size()).toArray();
            shuffle(order, rng);
            act = materialise(test, order, Preprocessing.test(norm), cfg.batchSize(), cfg.activationBatches(), rng);
        } else {
            int[] order = subset.clone();
            java.util.Arrays.sort(order);
            shuffle(order, rng);
            act = materialise(train, order, Preprocessing.test(norm), cfg.batchSize(), cfg.activationBatches(), rng);
        }
        return new CalibrationData(recon, act);
    }

    /** With the reference's sizes ({@link CalibrationConfig#LAC}). */
    public static CalibrationData draw(ImageDataset train, ImageDataset test, Normalization norm, RandomGenerator rng) {
        return draw(train, test, norm, rng, CalibrationConfig.LAC);
    }

    /** List (b): reconstruction cache inputs (and PDA). */
    public CalibrationList reconstruction() {
        return reconstruction;
    }

    /** List (a): activation calibration; its first batch also serves the weight calibration. */
    public CalibrationList activation() {
        return activation;
    }

    private static CalibrationList materialise(
            ImageDataset ds, int[] order, Preprocessing pre, int batchSize, int maxBatches, RandomGenerator rng) {
        int n = Math.min(order.length, batchSize * maxBatches);
        int per = ds.imageBytes();
        List<float[]> batches = new ArrayList<>();
        byte[] raw = new byte[per];
        for (int from = 0; from < n; from += batchSize) {
            int m = Math.min(batchSize, n - from);
            float[] data = new float[m * per];
            for (int k = 0; k < m; k++) {
                ds.pixels(order[from + k], raw, 0);
                FloatImage x = pre.apply(raw, ds.channels(), ds.height(), ds.width(), rng);
                System.arraycopy(x.data(), 0, data, k * per, per);
            }
            batches.add(data);
        }
        return new CalibrationList(batches, java.util.Arrays.copyOf(order, n), ds.channels(), ds.height(), ds.width());
    }

    static void shuffle(int[] a, RandomGenerator rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
