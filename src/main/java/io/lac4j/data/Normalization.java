package io.lac4j.data;

import java.util.Arrays;
import java.util.Locale;

/**
 * Per-channel {@code Normalize(mean, std)} constants. Values are float32 like the tensors
 * torchvision builds from them; {@link Normalize} computes {@code (x - mean_c) / std_c} in float32.
 */
public record Normalization(String name, float[] mean, float[] std) {
    /** CIFAR-10 (LAC.md §3.1). */
    public static final Normalization CIFAR10 = new Normalization(
            "cifar10", new float[] {0.4914f, 0.4822f, 0.4465f}, new float[] {0.2023f, 0.1994f, 0.2010f});
    /** Tiny-ImageNet (LAC.md §3.1). */
    public static final Normalization TINY = new Normalization(
            "tiny", new float[] {0.4802f, 0.4481f, 0.3975f}, new float[] {0.2302f, 0.2265f, 0.2262f});
    /** Fashion-MNIST (FINDINGS.md header). */
    public static final Normalization FASHION_MNIST =
            new Normalization("fashion-mnist", new float[] {0.2860f}, new float[] {0.3530f});
    /** GTSRB (ATTACKS.md §0.1). */
    public static final Normalization GTSRB = new Normalization(
            "gtsrb", new float[] {0.3403f, 0.3121f, 0.3214f}, new float[] {0.2724f, 0.2608f, 0.2669f});

    public Normalization {
        mean = mean.clone();
        std = std.clone();
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException(
                    "normalization " + name + ": expected equal non-empty mean and std, got " + mean.length
                            + " and " + std.length);
        }
        for (float s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("normalization " + name + ": std: expected > 0, got " + s);
            }
        }
    }

    /** Mean 0, std 1 on {@code channels} channels: Normalize is the identity. */
    public static Normalization identity(int channels) {
        float[] m = new float[channels];
        float[] s = new float[channels];
        Arrays.fill(s, 1f);
        return new Normalization("none", m, s);
    }

    /**
     * Constants by name: {@code cifar10}, {@code tiny}, {@code fashion-mnist} ({@code fmnist}),
     * {@code gtsrb}.
     *
     * @throws IllegalArgumentException for another name
     */
    public static Normalization byName(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "cifar10", "cifar-10", "cifar":
                return CIFAR10;
            case "tiny", "tiny-imagenet", "tinyimagenet":
                return TINY;
            case "fmnist", "fashion-mnist", "fashionmnist":
                return FASHION_MNIST;
            case "gtsrb":
                return GTSRB;
            default:
                throw new IllegalArgumentException("normalization: expected one of [cifar10, tiny, fashion-mnist, "
                        + "gtsrb], got '" + name + "'");
        }
    }

    public int channels() {
        return mean.length;
    }

    /** {@code mean_c} (a copy of the array is returned by {@link #mean()}). */
    public float mean(int c) {
        return mean[c];
    }

    public float std(int c) {
        return std[c];
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    /** {@code (v - mean_c) / std_c} in float32, exactly torchvision's Normalize of one value. */
    public float apply(int c, float v) {
        return (v - mean[c]) / std[c];
    }

    /** The normalised value of white (1.0) in channel {@code c}: {@code (1 - mean_c) / std_c}. */
    public float white(int c) {
        return apply(c, 1f);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalization n && n.name.equals(name) && Arrays.equals(n.mean, mean)
                && Arrays.equals(n.std, std);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(mean) * 17 + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(mean) + "/" + Arrays.toString(std);
    }
}
