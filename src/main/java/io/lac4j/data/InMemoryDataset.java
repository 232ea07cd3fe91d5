package io.lac4j.data;

import java.util.Objects;

/** An {@link ImageDataset} whose CHW uint8 pixels sit in one array; also useful in tests. */
public final class InMemoryDataset implements ImageDataset {
    private final String name;
    private final int channels;
    private final int height;
    private final int width;
    private final int numClasses;
    private final byte[] pixels;
    private final int[] labels;

    /**
     * @param pixels {@code labels.length * channels * height * width} bytes, CHW per image (not
     *     copied)
     * @param labels class indices in {@code [0, numClasses)} (not copied)
     */
    public InMemoryDataset(
            String name, int channels, int height, int width, int numClasses, byte[] pixels, int[] labels) {
        this.name = Objects.requireNonNull(name, "name");
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException(
                    name + ": image shape: expected positive, got " + channels + "x" + height + "x" + width);
        }
        long expected = (long) labels.length * channels * height * width;
        if (pixels.length != expected) {
            throw new IllegalArgumentException(
                    name + ": pixel bytes: expected " + expected + ", got " + pixels.length);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException(
                        name + ": label " + i + ": expected 0.." + (numClasses - 1) + ", got " + labels[i]);
            }
        }
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.numClasses = numClasses;
        this.pixels = pixels;
        this.labels = labels;
    }

    /**
     * Decodes every image of {@code source} once (in parallel) and keeps the pixels in memory, e.g.
     * Tiny-ImageNet's val split (10 000 x 12 288 bytes = 123 MB) before repeated evaluations.
     */
    public static InMemoryDataset copyOf(ImageDataset source) {
        if (source instanceof InMemoryDataset m) {
            return m;
        }
        int per = source.imageBytes();
        byte[] px = new byte[Math.multiplyExact(source.size(), per)];
        java.util.stream.IntStream.range(0, source.size()).parallel().forEach(i -> source.pixels(i, px, i * per));
        return new InMemoryDataset(source.name(), source.channels(), source.height(), source.width(),
                source.numClasses(), px, source.labels());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public int channels() {
        return channels;
    }

    @Override
    public int height() {
        return height;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    @Override
    public int label(int i) {
        return labels[i];
    }

    @Override
    public void pixels(int i, byte[] dst, int offset) {
        int n = imageBytes();
        System.arraycopy(pixels, i * n, dst, offset, n);
    }

    @Override
    public int[] labels() {
        return labels.clone();
    }
}
