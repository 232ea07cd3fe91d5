package io.lac4j.data;

/**
 * A labelled image dataset with raw pixels kept as unsigned bytes in <b>CHW</b> order (channel
 * planes, rows top to bottom, columns left to right), the layout of CIFAR-10's binary records
 * and of PyTorch tensors after {@code ToTensor}. All images of one dataset have the same shape.
 *
 * <p>In-memory datasets (IDX, CIFAR binary) hold one {@code byte[]}; file-backed ones (Tiny,
 * image folders) decode on demand, so {@link #pixels(int, byte[], int)} may do I/O.
 */
public interface ImageDataset {
    /** A short name for messages and reports, e.g. {@code cifar10/test}. */
    String name();

    int size();

    int channels();

    int height();

    int width();

    /** Number of classes; labels lie in {@code [0, numClasses())}. */
    int numClasses();

    /** The class index of image {@code i}. */
    int label(int i);

    /** Bytes per image: {@code channels * height * width}. */
    default int imageBytes() {
        return channels() * height() * width();
    }

    /** Copies image {@code i} (CHW uint8) into {@code dst} at {@code offset}. */
    void pixels(int i, byte[] dst, int offset);

    /** Image {@code i} as a new CHW uint8 array. */
    default byte[] pixels(int i) {
        byte[] out = new byte[imageBytes()];
        pixels(i, out, 0);
        return out;
    }

    /** All labels, in index order. */
    default int[] labels() {
        int[] out = new int[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = label(i);
        }
        return out;
    }
}
