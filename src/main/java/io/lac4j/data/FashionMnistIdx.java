package io.lac4j.data;

import io.lac4j.InputException;
import io.lac4j.Lac4jException;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads Fashion-MNIST (or MNIST) from IDX files, gzip-compressed or raw: {@code
 * train-images-idx3-ubyte[.gz]} / {@code train-labels-idx1-ubyte[.gz]} (60 000) and {@code
 * t10k-*} (10 000). Images are 1x28x28 uint8; 10 classes. Magic numbers, dimensions and counts
 * are validated; gzip is recognised by its magic bytes, not by the file name.
 */
public final class FashionMnistIdx {
    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;
    private static final int NUM_CLASSES = 10;

    private FashionMnistIdx() {}

    /** The train ({@code train-*}) or test ({@code t10k-*}) split in {@code dir}. */
    public static ImageDataset read(Path dir, boolean train) {
        String prefix = train ? "train" : "t10k";
        Path images = find(dir, prefix + "-images-idx3-ubyte");
        Path labels = find(dir, prefix + "-labels-idx1-ubyte");
        return read(images, labels, "fashion-mnist/" + (train ? "train" : "test"));
    }

    /** An image file and a label file, checked against each other. */
    public static ImageDataset read(Path imagesFile, Path labelsFile, String name) {
        Images im = readImages(imagesFile);
        int[] labels = readLabels(labelsFile);
        if (labels.length != im.count) {
            throw new InputException(
                    labelsFile + ": label count: expected " + im.count + " (images in " + imagesFile
                            + "), got " + labels.length);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] >= NUM_CLASSES) {
                throw new InputException(
                        labelsFile + ": label " + i + ": expected 0.." + (NUM_CLASSES - 1) + ", got " + labels[i]);
            }
        }
        return new InMemoryDataset(name, 1, im.rows, im.cols, NUM_CLASSES, im.pixels, labels);
    }

    static Path find(Path dir, String base) {
        for (String candidate : new String[] {base + ".gz", base}) {
            Path p = dir.resolve(candidate);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new InputException(
                dir.resolve(base + ".gz") + ": Fashion-MNIST file: expected " + base + "[.gz] in " + dir
                        + ", got no such file; set --data / data.path to the directory holding the IDX files");
    }

    private record Images(int count, int rows, int cols, byte[] pixels) {}

    private static Images readImages(Path file) {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != IMAGES_MAGIC) {
                throw new InputException(String.format(
                        "%s: magic: expected 0x%08x (idx3 ubyte images), got 0x%08x", file, IMAGES_MAGIC, magic));
            }
            int count = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            if (count < 0 || rows <= 0 || cols <= 0 || (long) count * rows * cols > Integer.MAX_VALUE - 8) {
                throw new InputException(file + ": dimensions: expected positive and below 2 GiB in total, got "
                        + count + "x" + rows + "x" + cols);
            }
            byte[] pixels = new byte[count * rows * cols];
            readFully(in, pixels, file, "pixels");
            return new Images(count, rows, cols, pixels);
        } catch (IOException e) {
            throw new Lac4jException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static int[] readLabels(Path file) {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != LABELS_MAGIC) {
                throw new InputException(String.format(
                        "%s: magic: expected 0x%08x (idx1 ubyte labels), got 0x%08x", file, LABELS_MAGIC, magic));
            }
            int count = in.readInt();
            if (count < 0) {
                throw new InputException(file + ": count: expected >= 0, got " + count);
            }
            byte[] raw = new byte[count];
            readFully(in, raw, file, "labels");
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                labels[i] = raw[i] & 0xff;
            }
            return labels;
        } catch (IOException e) {
            throw new Lac4jException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static void readFully(DataInputStream in, byte[] dst, Path file, String what) throws IOException {
        try {
            in.readFully(dst);
        } catch (EOFException e) {
            throw new InputException(file + ": " + what + ": expected " + dst.length + " bytes, got fewer (truncated file)", e);
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        InputStream in = (b0 == 0x1f && b1 == 0x8b) ? new GZIPInputStream(raw, 1 << 16) : raw;
        return new DataInputStream(new BufferedInputStream(in, 1 << 16));
    }
}
