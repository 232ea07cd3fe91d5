package io.lac4j.engine;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Derives independent, reproducible seeds for each consumer of randomness in a run (calibration
 * draws, augmentation, shuffling, ...) from one run seed and a stable stage name, so that adding
 * a consumer never shifts another one's stream.
 */
public final class Seeds {
    private Seeds() {}

    /**
     * The seed of {@code stage} in a run seeded with {@code runSeed}: the 64-bit FNV-1a hash of
     * the UTF-8 name, mixed with the run seed through {@link SplittableRandom}'s mixer. Stable
     * across JVMs and versions.
     */
    public static long forStage(long runSeed, String stage) {
        long h = 0xcbf29ce484222325L;
        for (byte b : stage.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return new SplittableRandom(runSeed ^ Long.rotateLeft(h, 31)).nextLong();
    }

    /** A fresh generator for {@code stage}; see {@link #forStage(long, String)}. */
    public static SplittableRandom rngForStage(long runSeed, String stage) {
        return new SplittableRandom(forStage(runSeed, stage));
    }
}
