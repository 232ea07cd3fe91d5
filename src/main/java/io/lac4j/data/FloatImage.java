package io.lac4j.data;

/**
 * One image as float32 CHW values (the layout of a PyTorch image tensor), the unit the {@link
 * Transform}s work on. The array is owned by the image and may be modified in place by
 * transforms that keep the shape.
 */
public record FloatImage(float[] data, int channels, int height, int width) {
    public FloatImage {
        if ((long) channels * height * width != data.length) {
            throw new IllegalArgumentException("image: expected " + channels + "x" + height + "x" + width
                    + " = " + ((long) channels * height * width) + " values, got " + data.length);
        }
    }

    /** Index of (c, y, x) in {@link #data()}. */
    public int index(int c, int y, int x) {
        return (c * height + y) * width + x;
    }

    /** The largest value over all channels. */
    public float max() {
        float m = Float.NEGATIVE_INFINITY;
        for (float v : data) {
            m = Math.max(m, v);
        }
        return m;
    }
}
