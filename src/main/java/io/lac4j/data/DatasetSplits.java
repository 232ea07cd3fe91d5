package io.lac4j.data;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * The train and test splits of one dataset plus its normalisation constants. Splits are read
 * lazily on first use and then kept (evaluation never reads the train split).
 */
public final class DatasetSplits {
    private final String name;
    private final Supplier<ImageDataset> trainLoader;
    private final Supplier<ImageDataset> testLoader;
    private final Normalization normalization;
    private ImageDataset train;
    private ImageDataset test;

    public DatasetSplits(
            String name, Supplier<ImageDataset> train, Supplier<ImageDataset> test, Normalization normalization) {
        this.name = Objects.requireNonNull(name);
        this.trainLoader = Objects.requireNonNull(train);
        this.testLoader = Objects.requireNonNull(test);
        this.normalization = Objects.requireNonNull(normalization);
    }

    /** Splits already in memory. */
    public static DatasetSplits of(String name, ImageDataset train, ImageDataset test, Normalization norm) {
        return new DatasetSplits(name, () -> train, () -> test, norm);
    }

    public String name() {
        return name;
    }

    public synchronized ImageDataset train() {
        if (train == null) {
            train = trainLoader.get();
        }
        return train;
    }

    public synchronized ImageDataset test() {
        if (test == null) {
            test = testLoader.get();
        }
        return test;
    }

    public Normalization normalization() {
        return normalization;
    }

    /** The same splits with other normalisation constants. */
    public DatasetSplits withNormalization(Normalization norm) {
        return new DatasetSplits(name, this::train, this::test, norm);
    }
}
