package io.lac4j.data;

import java.util.random.RandomGenerator;

/**
 * torchvision's {@code RandomCrop(size, padding)} with zero padding (the default {@code fill=0},
 * {@code padding_mode="constant"}): pad every side by {@code padding}, then cut a {@code size x
 * size} window whose top row {@code i} and left column {@code j} are drawn uniformly, {@code i}
 * first, from {@code [0, H + 2p - size]} and {@code [0, W + 2p - size]}. Zero-padding the uint8
 * image and then dividing by 255 equals padding the [0,1] tensor with 0, so this runs after
 * {@link ToTensor}.
 */
public record RandomCrop(int size, int padding) implements Transform {
    public RandomCrop {
        if (size <= 0 || padding < 0) {
            throw new IllegalArgumentException("random crop: expected size > 0 and padding >= 0, got size " + size
                    + ", padding " + padding);
        }
    }

    @Override
    public FloatImage apply(FloatImage x, RandomGenerator rng) {
        int ph = x.height() + 2 * padding;
        int pw = x.width() + 2 * padding;
        if (size > ph || size > pw) {
            throw new IllegalArgumentException("random crop: expected size <= padded " + ph + "x" + pw + ", got " + size);
        }
        int top = rng.nextInt(ph - size + 1);
        int left = rng.nextInt(pw - size + 1);
        return crop(x, top, left);
    }

    /** The crop at padded coordinates ({@code top}, {@code left}); outside the image is 0. */
    public FloatImage crop(FloatImage x, int top, int left) {
        float[] out = new float[x.channels() * size * size];
        float[] in = x.data();
        for (int c = 0; c < x.channels(); c++) {
            for (int y = 0; y < size; y++) {
                int sy = top + y - padding;
                if (sy < 0 || sy >= x.height()) {
                    continue;
                }
                for (int xx = 0; xx < size; xx++) {
                    int sx = left + xx - padding;
                    if (sx >= 0 && sx < x.width()) {
                        out[(c * size + y) * size + xx] = in[x.index(c, sy, sx)];
                    }
                }
            }
        }
        return new FloatImage(out, x.channels(), size, size);
    }
}
