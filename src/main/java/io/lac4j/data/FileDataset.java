package io.lac4j.data;

import io.lac4j.InputException;
import java.nio.file.Path;
import java.util.List;

/**
 * An {@link ImageDataset} over a list of image files, decoded on demand (nothing is cached).
 * The shape is taken from the first file; a file of another size is an {@link InputException}.
 */
final class FileDataset implements ImageDataset {
    private final String name;
    private final List<Path> files;
    private final int[] labels;
    private final int numClasses;
    private final int channels;
    private final int height;
    private final int width;

    FileDataset(String name, List<Path> files, int[] labels, int numClasses, int channels) {
        if (files.isEmpty()) {
            throw new InputException(name + ": images: expected at least one, got none");
        }
        this.name = name;
        this.files = List.copyOf(files);
        this.labels = labels;
        this.numClasses = numClasses;
        this.channels = channels;
        ImageFiles.Decoded first = ImageFiles.decode(files.get(0), channels);
        this.height = first.height();
        this.width = first.width();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int size() {
        return files.size();
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

    /** The file behind image {@code i}. */
    Path file(int i) {
        return files.get(i);
    }

    @Override
    public void pixels(int i, byte[] dst, int offset) {
        ImageFiles.Decoded d = ImageFiles.decode(files.get(i), channels);
        if (d.height() != height || d.width() != width) {
            throw new InputException(files.get(i) + ": image size: expected " + height + "x" + width
                    + " (like " + files.get(0).getFileName() + "), got " + d.height() + "x" + d.width()
                    + "; resize the dataset to one size");
        }
        System.arraycopy(d.chw(), 0, dst, offset, d.chw().length);
    }
}
