package io.lac4j.data;

import java.util.random.RandomGenerator;

/**
 * A torchvision-style transform on a float CHW image. Random transforms draw from the {@code rng}
 * passed in (never from global state); deterministic ones ignore it. May modify {@code x} in
 * place and return it, or return a new image.
 */
@FunctionalInterface
public interface Transform {
    FloatImage apply(FloatImage x, RandomGenerator rng);
}
