package io.lac4j.data;

import ai.djl.ndarray.NDManager;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Splits a {@link DataView} into batches: sequential (evaluation, {@code shuffle=False}) or with
 * a fresh permutation every epoch drawn from a seed (training), optionally dropping the last
 * partial batch. The permutation and the augmentation seed of epoch {@code e} depend only on
 * {@code (seed, e)}, so any epoch can be replayed.
 */
public final class Batcher {
    private final DataView view;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private final boolean dropLast;

    private Batcher(DataView view, int batchSize, boolean shuffle, long seed, boolean dropLast) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size: expected > 0, got " + batchSize);
        }
        this.view = view;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.seed = seed;
        this.dropLast = dropLast;
    }

    /** Positions in order, last batch partial (like a {@code DataLoader} with {@code shuffle=False}). */
    public static Batcher sequential(DataView view, int batchSize) {
        return new Batcher(view, batchSize, false, 0L, false);
    }

    /** A new seeded permutation per epoch. */
    public static Batcher shuffled(DataView view, int batchSize, long seed, boolean dropLast) {
        return new Batcher(view, batchSize, true, seed, dropLast);
    }

    public DataView view() {
        return view;
    }

    public int batchSize() {
        return batchSize;
    }

    /** Batches per epoch. */
    public int numBatches() {
        int n = view.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** The order of positions in {@code epoch} (identity when not shuffling). */
    public int[] order(int epoch) {
        int[] p = IntStream.range(0, view.size()).toArray();
        if (shuffle) {
            SplittableRandom r = new SplittableRandom(DataView.mix64(seed ^ DataView.mix64(epoch + 1L)));
            for (int i = p.length - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = p[i];
                p[i] = p[j];
                p[j] = t;
            }
        }
        return p;
    }

    /** View positions of batch {@code b} of {@code epoch}. */
    public int[] positions(int epoch, int b) {
        return positions(order(epoch), b);
    }

    private int[] positions(int[] order, int b) {
        if (b < 0 || b >= numBatches()) {
            throw new IndexOutOfBoundsException("batch: expected 0.." + (numBatches() - 1) + ", got " + b);
        }
        int from = b * batchSize;
        int to = Math.min(order.length, from + batchSize);
        int[] out = new int[to - from];
        System.arraycopy(order, from, out, 0, out.length);
        return out;
    }

    /** Batch {@code b} of {@code epoch}, created in {@code manager}. */
    public Batch batch(int epoch, int b, NDManager manager) {
        return view.batch(positions(epoch, b), manager, augmentSeed(epoch));
    }

    /** Batch {@code b} of epoch 0 (evaluation). */
    public Batch batch(int b, NDManager manager) {
        return batch(0, b, manager);
    }

    /** Batches of one epoch as a reusable plan: compute the permutation once, then fetch. */
    public Epoch epoch(int epoch) {
        return new Epoch(epoch, order(epoch));
    }

    /** Seed of the per-item augmentation generators; epoch 0 of a sequential batcher uses the view's. */
    private long augmentSeed(int epoch) {
        if (!shuffle) {
            return epoch == 0 ? view.seed() : DataView.mix64(view.seed() + 0x5DEECE66DL * epoch);
        }
        return DataView.mix64(seed + 0x5DEECE66DL * (epoch + 1L));
    }

    /** One epoch's permutation. */
    public final class Epoch {
        private final int epoch;
        private final int[] order;

        private Epoch(int epoch, int[] order) {
            this.epoch = epoch;
            this.order = order;
        }

        public int numBatches() {
            return Batcher.this.numBatches();
        }

        public int[] positions(int b) {
            return Batcher.this.positions(order, b);
        }

        public Batch batch(int b, NDManager manager) {
            return view.batch(positions(b), manager, augmentSeed(epoch));
        }
    }
}
