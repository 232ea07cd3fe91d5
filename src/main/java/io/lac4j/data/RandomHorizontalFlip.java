package io.lac4j.data;

import java.util.random.RandomGenerator;

/** torchvision's {@code RandomHorizontalFlip(p)}: mirror columns when a uniform draw is below p. */
public record RandomHorizontalFlip(double p) implements Transform {
    public RandomHorizontalFlip {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("random flip: expected 0 <= p <= 1, got " + p);
        }
    }

    @Override
    public FloatImage apply(FloatImage x, RandomGenerator rng) {
        return rng.nextDouble() < p ? flip(x) : x;
    }

    /** Flips with probability {@code p} using one draw of {@code rng}. */
    static FloatImage flipIf(FloatImage x, RandomGenerator rng, double p) {
        return rng.nextDouble() < p ? flip(x) : x;
    }

    /** Mirrors columns in place. */
    public static FloatImage flip(FloatImage x) {
        float[] d = x.data();
        int w = x.width();
        for (int row = 0; row < x.channels() * x.height(); row++) {
            int base = row * w;
            for (int a = 0, b = w - 1; a < b; a++, b--) {
                float t = d[base + a];
                d[base + a] = d[base + b];
                d[base + b] = t;
            }
        }
        return x;
    }
}
