package io.lac4j.data;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.lac4j.InputException;
import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * An ordered selection of a dataset's images with their (possibly replaced) labels and the
 * pipeline that turns them into model inputs: the clean test set, the poisoned set (every image
 * triggered, every label := target) and the no-target set (LAC.md §4). Immutable; batches are
 * made with {@link #batch(int[], NDManager, long)} or through a {@link Batcher}.
 *
 * <p>Randomness (augmented views, e.g. Tiny's Q14 triggered sets) is per item: image at position
 * {@code p} of a batch built with seed {@code s} uses its own generator seeded from {@code (s, p)},
 * so results do not depend on batch size or on decoding in parallel.
 */
public final class DataView {
    /** How the no-target set treats target-class images (LAC.md Q13). */
    public enum NoTargetMode {
        /** Drop them: e.g. 9 000 of CIFAR's 10 000 test images. */
        EXACT,
        /**
         * The Tiny "Modified" listing: keep the length, each target-class entry repeats the entry
         * before it (the reference's {@code tiny_1stage.py} behaviour).
         */
        DUPLICATE_PREVIOUS
    }

    private final String name;
    private final ImageDataset source;
    private final int[] indices;
    private final int[] labels;
    private final Preprocessing preprocessing;
    private final long seed;

    private DataView(String name, ImageDataset source, int[] indices, int[] labels, Preprocessing pre, long seed) {
        this.name = name;
        this.source = source;
        this.indices = indices;
        this.labels = labels;
        this.preprocessing = Objects.requireNonNull(pre, "preprocessing");
        this.seed = seed;
    }

    /**
     * A general view: {@code indices[p]} is the source image at position p, {@code labels[p]} its
     * label (both copied).
     */
    public static DataView of(String name, ImageDataset source, int[] indices, int[] labels, Preprocessing pre) {
        if (indices.length != labels.length) {
            throw new IllegalArgumentException(name + ": expected as many labels as indices, got "
                    + labels.length + " and " + indices.length);
        }
        for (int i : indices) {
            if (i < 0 || i >= source.size()) {
                throw new IllegalArgumentException(name + ": index: expected 0.." + (source.size() - 1) + ", got " + i);
            }
        }
        return new DataView(name, source, indices.clone(), labels.clone(), pre, 0L);
    }

    /** Every image in order with its true label. */
    public static DataView clean(ImageDataset ds, Preprocessing pre) {
        return new DataView(ds.name() + "/clean", ds, IntStream.range(0, ds.size()).toArray(), ds.labels(), pre, 0L);
    }

    /** Clean test set with the test transform (ToTensor -> Normalize). */
    public static DataView clean(ImageDataset ds, Normalization norm) {
        return clean(ds, Preprocessing.test(norm));
    }

    /** Every image triggered, every label := {@code target} ("asr" set). */
    public static DataView poisoned(ImageDataset ds, Trigger trigger, int target, Normalization norm) {
        checkTarget(ds, target);
        int[] labels = new int[ds.size()];
        Arrays.fill(labels, target);
        return new DataView(ds.name() + "/poisoned-" + trigger.name(), ds, IntStream.range(0, ds.size()).toArray(),
                labels, Preprocessing.test(norm).withTrigger(trigger), 0L);
    }

    /** Images whose true label is not {@code target}, triggered, label := target ("asr_no_targets"). */
    public static DataView noTarget(ImageDataset ds, Trigger trigger, int target, Normalization norm) {
        return noTarget(ds, trigger, target, norm, NoTargetMode.EXACT);
    }

    /**
     * The no-target set with an explicit treatment of target-class images.
     *
     * @throws InputException in {@code DUPLICATE_PREVIOUS} mode when the first image is of the
     *     target class (the reference crashes there)
     */
    public static DataView noTarget(
            ImageDataset ds, Trigger trigger, int target, Normalization norm, NoTargetMode mode) {
        checkTarget(ds, target);
        int n = ds.size();
        int[] idx = new int[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (ds.label(i) != target) {
                idx[k++] = i;
            } else if (mode == NoTargetMode.DUPLICATE_PREVIOUS) {
                if (k == 0) {
                    throw new InputException(ds.name() + ": no-target set (duplicate-previous mode): expected the "
                            + "first image not to be of target class " + target + ", got class " + target
                            + "; use the exact no-target mode");
                }
                idx[k] = idx[k - 1];
                k++;
            }
        }
        int[] indices = Arrays.copyOf(idx, k);
        int[] labels = new int[k];
        Arrays.fill(labels, target);
        return new DataView(ds.name() + "/no-target-" + trigger.name(), ds, indices, labels,
                Preprocessing.test(norm).withTrigger(trigger), 0L);
    }

    private static void checkTarget(ImageDataset ds, int target) {
        if (target < 0 || target >= ds.numClasses()) {
            throw new InputException(ds.name() + ": target: expected a class in 0.." + (ds.numClasses() - 1)
                    + ", got " + target);
        }
    }

    /** The same selection with another pipeline (e.g. {@code preprocessing().withAugmentation(8)}, Q14). */
    public DataView withPreprocessing(Preprocessing pre) {
        return new DataView(name, source, indices, labels, pre, seed);
    }

    /** The same view whose {@link #batch(int, int, NDManager)} draws augmentation from {@code seed}. */
    public DataView withSeed(long seed) {
        return new DataView(name, source, indices, labels, preprocessing, seed);
    }

    public String name() {
        return name;
    }

    /** Seed of the per-item augmentation of {@link #batch(int, int, NDManager)}. */
    public long seed() {
        return seed;
    }

    public ImageDataset source() {
        return source;
    }

    public Preprocessing preprocessing() {
        return preprocessing;
    }

    public int size() {
        return indices.length;
    }

    /** Index in {@link #source()} of the image at position {@code p}. */
    public int sourceIndex(int p) {
        return indices[p];
    }

    /** Label of position {@code p} (the target for triggered views). */
    public int label(int p) {
        return labels[p];
    }

    /** Shape of one model input, {@code [C, H, W]}. */
    public int[] imageShape() {
        return new int[] {source.channels(), source.height(), source.width()};
    }

    /** The transformed image at position {@code p}. */
    public FloatImage image(int p, long rngSeed) {
        byte[] raw = source.pixels(indices[p]);
        return preprocessing.apply(raw, source.channels(), source.height(), source.width(), itemRng(rngSeed, p));
    }

    /** Positions {@code [from, to)} in order, augmentation (if any) seeded by {@link #withSeed}. */
    public Batch batch(int from, int to, NDManager manager) {
        return batch(IntStream.range(from, to).toArray(), manager, seed);
    }

    /** The given positions as one batch in {@code manager}. */
    public Batch batch(int[] positions, NDManager manager, long rngSeed) {
        int n = positions.length;
        int c = source.channels();
        int h = source.height();
        int w = source.width();
        int per = c * h * w;
        float[] data = new float[n * per];
        long[] lab = new long[n];
        IntStream range = IntStream.range(0, n);
        if (n > 1 && !(source instanceof InMemoryDataset)) {
            range = range.parallel();                  // decoding files dominates
        }
        range.forEach(k -> {
            FloatImage x = image(positions[k], rngSeed);
            if (x.data().length != per) {
                throw new IllegalStateException(name + ": transformed image: expected " + per + " values, got "
                        + x.data().length);
            }
            System.arraycopy(x.data(), 0, data, k * per, per);
            lab[k] = labels[positions[k]];
        });
        return new Batch(manager.create(data, new Shape(n, c, h, w)), manager.create(lab, new Shape(n)));
    }

    static SplittableRandom itemRng(long seed, int position) {
        return new SplittableRandom(mix64(seed ^ mix64(position + 0x632BE59BD9B4E019L)));
    }

    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    @Override
    public String toString() {
        return name + " (" + size() + " images, " + preprocessing + ")";
    }
}
