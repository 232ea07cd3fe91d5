package io.lac4j.data;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** Paths of the synthetic dataset files written by tools/fixtures/gen_data.py. */
final class Fixtures {
    private Fixtures() {}

    static Path resource(String name) {
        URL url = Fixtures.class.getResource("/golden/data/" + name);
        if (url == null) {
            throw new IllegalStateException(name + ": fixture missing; run tools/fixtures/make_golden.py data");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static long[] pixels(ImageDataset ds, int i) {
        byte[] b = ds.pixels(i);
        long[] out = new long[b.length];
        for (int k = 0; k < b.length; k++) {
            out[k] = b[k] & 0xff;
        }
        return out;
    }

    static long[] allPixels(ImageDataset ds) {
        int per = ds.imageBytes();
        long[] out = new long[ds.size() * per];
        for (int i = 0; i < ds.size(); i++) {
            System.arraycopy(pixels(ds, i), 0, out, i * per, per);
        }
        return out;
    }

    static long[] labels(ImageDataset ds) {
        long[] out = new long[ds.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ds.label(i);
        }
        return out;
    }

    /** {@code n} images per class of {@code classes} classes, 1x28x28, pixel value = (i * 7) mod 200. */
    static InMemoryDataset balanced(int classes, int perClass, int c, int h) {
        int n = classes * perClass;
        int per = c * h * h;
        byte[] px = new byte[n * per];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % classes;
            for (int k = 0; k < per; k++) {
                px[i * per + k] = (byte) ((i * 7 + k * 13) % 200);
            }
        }
        return new InMemoryDataset("balanced", c, h, h, classes, px, labels);
    }
}
