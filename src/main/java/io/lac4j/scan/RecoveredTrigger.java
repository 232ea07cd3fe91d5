package io.lac4j.scan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.lac4j.data.Normalization;

/**
 * A mask and pattern an inversion found for one class, in image space: the stamped image is
 * {@code (1 − m)·x + m·p} on the [0,1] image (before Normalize), {@code m} in [0,1] per pixel (shared
 * by the channels), {@code p} in [0,1] per channel and pixel.
 *
 * @param targetClass the class the pattern was optimised to reach
 * @param mask {@code H·W} values in [0,1], row-major
 * @param pattern {@code C·H·W} values in [0,1], channel-major
 * @param area sum of the mask divided by {@code H·W}
 */
public record RecoveredTrigger(int targetClass, int channels, int height, int width, float[] mask, float[] pattern,
                               double area) {
    public RecoveredTrigger {
        if (mask.length != height * width || pattern.length != channels * height * width) {
            throw new IllegalArgumentException("recovered trigger: mask/pattern sizes do not match " + channels + "x"
                    + height + "x" + width);
        }
    }

    /**
     * Stamps normalised images {@code [N, C, H, W]}: Normalize is affine per channel, so stamping the
     * [0,1] image and normalising equals {@code (1 − m)·x̂ + m·(p − mean)/std} on the normalised one.
     */
    public NDArray apply(NDArray normalised, Normalization norm, NDManager m) {
        NDArray mk = m.create(mask, new Shape(1, 1, height, width));
        NDArray pn = normalisedPattern(norm, m);
        return normalised.mul(mk.neg().add(1f)).add(pn.mul(mk));
    }

    /** Stamps one normalised image {@code C·H·W} held in {@code images} at {@code offset}, in place. */
    public void stampInPlace(float[] images, int offset, Normalization norm) {
        int hw = height * width;
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < hw; i++) {
                int at = offset + c * hw + i;
                images[at] = (1 - mask[i]) * images[at] + mask[i] * norm.apply(c, pattern[c * hw + i]);
            }
        }
    }

    /** {@code (p − mean_c)/std_c} as {@code [1, C, H, W]}. */
    NDArray normalisedPattern(Normalization norm, NDManager m) {
        float[] v = new float[pattern.length];
        int hw = height * width;
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < hw; i++) {
                v[c * hw + i] = norm.apply(c, pattern[c * hw + i]);
            }
        }
        return m.create(v, new Shape(1, channels, height, width));
    }

    /** The mask times the pattern as an RGB/grey picture in [0,1] ({@code C·H·W}): what is added to an image. */
    public float[] visible() {
        float[] v = new float[pattern.length];
        int hw = height * width;
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < hw; i++) {
                v[c * hw + i] = mask[i] * pattern[c * hw + i];
            }
        }
        return v;
    }
}
