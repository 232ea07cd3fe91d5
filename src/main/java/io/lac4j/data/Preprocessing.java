package io.lac4j.data;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The per-image pipeline of one data view, always in this order (LAC.md §3.1):
 *
 * <pre>
 *   [raw trigger] -> ToTensor -> [RandomCrop(H, pad) -> RandomHorizontalFlip(0.5)]
 *                 -> [trigger before Normalize] -> Normalize -> [trigger after Normalize]
 * </pre>
 *
 * Crop and flip run on the [0,1] tensor; with zero padding that equals torchvision's crop/flip of
 * the PIL image followed by ToTensor. Random draws come from the caller's generator, crop offsets
 * (row, then column) before the flip draw. Immutable.
 */
public final class Preprocessing {
    private final Normalization normalization;
    private final Trigger trigger;
    private final int cropPadding;

    private Preprocessing(Normalization normalization, Trigger trigger, int cropPadding) {
        this.normalization = Objects.requireNonNull(normalization, "normalization");
        this.trigger = trigger;
        this.cropPadding = cropPadding;
    }

    /** Test transform: ToTensor -> Normalize. */
    public static Preprocessing test(Normalization normalization) {
        return new Preprocessing(normalization, null, -1);
    }

    /** Train transform: RandomCrop(H, padding) -> Flip -> ToTensor -> Normalize; padding is H/8. */
    public static Preprocessing train(Normalization normalization, int padding) {
        return new Preprocessing(normalization, null, padding);
    }

    /** The same pipeline with {@code trigger} stamped at its placement ({@code null} removes it). */
    public Preprocessing withTrigger(Trigger trigger) {
        return new Preprocessing(normalization, trigger, cropPadding);
    }

    /** The same pipeline with random crop (padding {@code padding}) and flip; {@code < 0} removes them. */
    public Preprocessing withAugmentation(int padding) {
        return new Preprocessing(normalization, trigger, padding < 0 ? -1 : padding);
    }

    public Normalization normalization() {
        return normalization;
    }

    /** The trigger, or {@code null}. */
    public Trigger trigger() {
        return trigger;
    }

    public boolean augmented() {
        return cropPadding >= 0;
    }

    /** Runs the pipeline on CHW uint8 pixels (not modified). */
    public FloatImage apply(byte[] raw, int channels, int height, int width, RandomGenerator rng) {
        byte[] px = raw;
        if (trigger != null && trigger.placement() == Trigger.Placement.RAW) {
            px = raw.clone();
            trigger.stampRaw(px, channels, height, width);
        }
        FloatImage x = ToTensor.apply(px, channels, height, width);
        if (cropPadding >= 0) {
            x = new RandomCrop(height, cropPadding).apply(x, rng);
            x = RandomHorizontalFlip.flipIf(x, rng, 0.5);
        }
        if (trigger != null && trigger.placement() == Trigger.Placement.BEFORE_NORMALIZE) {
            trigger.stamp(x, normalization);
        }
        x = new Normalize(normalization).apply(x, rng);
        if (trigger != null && trigger.placement() == Trigger.Placement.AFTER_NORMALIZE) {
            trigger.stamp(x, normalization);
        }
        return x;
    }

    @Override
    public String toString() {
        return (trigger != null && trigger.placement() == Trigger.Placement.RAW ? trigger + " -> " : "")
                + "ToTensor" + (cropPadding >= 0 ? " -> RandomCrop(pad " + cropPadding + ") -> Flip" : "")
                + (trigger != null && trigger.placement() == Trigger.Placement.BEFORE_NORMALIZE ? " -> " + trigger : "")
                + " -> Normalize(" + normalization.name() + ")"
                + (trigger != null && trigger.placement() == Trigger.Placement.AFTER_NORMALIZE ? " -> " + trigger : "");
    }
}
