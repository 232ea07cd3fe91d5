package io.lac4j.data;

import java.util.random.RandomGenerator;

/** torchvision's {@code Normalize}: {@code (x - mean_c) / std_c} in float32, in place. */
public record Normalize(Normalization normalization) implements Transform {
    @Override
    public FloatImage apply(FloatImage x, RandomGenerator rng) {
        if (x.channels() != normalization.channels()) {
            throw new IllegalArgumentException("normalize " + normalization.name() + ": channels: expected "
                    + normalization.channels() + ", got " + x.channels());
        }
        float[] d = x.data();
        int plane = x.height() * x.width();
        for (int c = 0; c < x.channels(); c++) {
            float m = normalization.mean(c);
            float s = normalization.std(c);
            for (int i = c * plane, end = i + plane; i < end; i++) {
                d[i] = (d[i] - m) / s;
            }
        }
        return x;
    }
}
