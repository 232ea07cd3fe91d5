package io.lac4j.training;

import io.lac4j.data.DataView;
import io.lac4j.data.ImageDataset;
import io.lac4j.data.Normalization;
import io.lac4j.data.Preprocessing;
import io.lac4j.data.Trigger;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The training selection (all images, or a seeded random subset in ascending index order) and
 * the views an objective draws its batches from: positions are shared, so position p of the clean
 * and of the triggered view are the same raw image.
 */
public final class TrainingData {
    private final ImageDataset train;
    private final int[] indices;
    private final Normalization norm;
    private final int padding;

    public TrainingData(ImageDataset train, Normalization norm, int trainImages, int augmentPadding, long seed) {
        this.train = train;
        this.norm = norm;
        this.padding = augmentPadding;
        int n = train.size();
        if (trainImages <= 0 || trainImages >= n) {
            indices = IntStream.range(0, n).toArray();
        } else {
            int[] p = IntStream.range(0, n).toArray();
            SplittableRandom r = new SplittableRandom(seed);
            for (int i = 0; i < trainImages; i++) {
                int j = i + r.nextInt(n - i);
                int t = p[i];
                p[i] = p[j];
                p[j] = t;
            }
            indices = java.util.Arrays.stream(p, 0, trainImages).sorted().toArray();
        }
    }

    public int size() {
        return indices.length;
    }

    public ImageDataset dataset() {
        return train;
    }

    /** Clean images with their labels, augmented if the config says so. */
    public DataView clean(boolean augment) {
        Preprocessing pre = Preprocessing.test(norm).withAugmentation(augment ? padding : -1);
        return view("clean", pre);
    }

    /** Triggered images with their TRUE labels (objectives relabel as they need). */
    public DataView triggered(Trigger trigger, boolean augment) {
        Preprocessing pre = Preprocessing.test(norm).withAugmentation(augment ? padding : -1).withTrigger(trigger);
        return view("triggered-" + trigger.name(), pre);
    }

    private DataView view(String what, Preprocessing pre) {
        int[] labels = new int[indices.length];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = train.label(indices[i]);
        }
        return DataView.of(train.name() + "/train-" + what, train, indices, labels, pre);
    }
}
