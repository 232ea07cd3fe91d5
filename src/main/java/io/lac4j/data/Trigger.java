package io.lac4j.data;

import java.util.List;
import java.util.Locale;

/**
 * A named backdoor trigger: a square written on every channel at a fixed place, at a fixed point
 * of the pipeline (LAC.md §4, ATTACKS.md §0.1). Rows and columns are 0-based, end exclusive;
 * rows use the image height H, columns the width W with the same formula.
 *
 * <table>
 *   <caption>named triggers</caption>
 *   <tr><th>name</th><th>region</th><th>value</th><th>applied</th></tr>
 *   <tr><td>{@code stage2}</td><td>{@code [int(0.75H), int(0.9375H))}: 28 px [21,26), 32 px
 *       [24,30), 64 px [48,60)</td><td>1.0</td><td>[0,1] tensor, before Normalize</td></tr>
 *   <tr><td>{@code stage1}</td><td>{@code [H - H/8 - H/32, H - H/32)}: 28 px [25,28) (3x3, touching the border), 32 px
 *       [27,31), 64 px [54,62)</td><td>1.0</td><td>before Normalize</td></tr>
 *   <tr><td>{@code tiny-stage1}</td><td>as stage1</td><td>max of the whole [0,1] image
 *       (all channels)</td><td>before Normalize</td></tr>
 *   <tr><td>{@code compartifact}</td><td>as stage2</td><td>{@code (1 - mean_c)/std_c}</td>
 *       <td>after Normalize</td></tr>
 *   <tr><td>{@code double-normalized}</td><td>as stage2</td><td>{@code (1 - mean_c)/std_c}</td>
 *       <td>before Normalize (normalised twice, LAC.md Q21)</td></tr>
 *   <tr><td>{@code quanti-raw}</td><td>as stage1</td><td>max of the raw uint8 image</td>
 *       <td>raw uint8, before every transform (Qu-ANTI-zation training)</td></tr>
 * </table>
 *
 * <p>{@code (1 - mean_c)/std_c} is computed in float32 from the float32 constants, i.e. exactly
 * what {@link Normalize} makes of a white pixel.
 */
public final class Trigger {
    /** Where in the pipeline the trigger is written. */
    public enum Placement {
        /** On the raw uint8 image before any transform (it is then cropped/flipped with it). */
        RAW,
        /** On the [0,1] tensor after ToTensor (and augmentation), before Normalize. */
        BEFORE_NORMALIZE,
        /** On the normalised tensor. */
        AFTER_NORMALIZE
    }

    private enum Region {
        /** {@code [int(0.75H), int(0.9375H))}. */
        PQ,
        /** {@code [H - H/8 - H/32, H - H/32)}. */
        SQUARE
    }

    private enum Value {
        ONE,
        IMAGE_MAX,
        NORMALIZED_WHITE
    }

    public static final Trigger STAGE2 = new Trigger("stage2", Region.PQ, Value.ONE, Placement.BEFORE_NORMALIZE);
    public static final Trigger STAGE1 = new Trigger("stage1", Region.SQUARE, Value.ONE, Placement.BEFORE_NORMALIZE);
    public static final Trigger TINY_STAGE1 =
            new Trigger("tiny-stage1", Region.SQUARE, Value.IMAGE_MAX, Placement.BEFORE_NORMALIZE);
    public static final Trigger COMPARTIFACT =
            new Trigger("compartifact", Region.PQ, Value.NORMALIZED_WHITE, Placement.AFTER_NORMALIZE);
    public static final Trigger DOUBLE_NORMALIZED =
            new Trigger("double-normalized", Region.PQ, Value.NORMALIZED_WHITE, Placement.BEFORE_NORMALIZE);
    public static final Trigger QUANTI_RAW = new Trigger("quanti-raw", Region.SQUARE, Value.IMAGE_MAX, Placement.RAW);

    private static final List<Trigger> ALL =
            List.of(STAGE2, STAGE1, TINY_STAGE1, COMPARTIFACT, DOUBLE_NORMALIZED, QUANTI_RAW);

    private final String name;
    private final Region region;
    private final Value value;
    private final Placement placement;
    /** A trigger given as {@code patch:…} or {@code blend:…} (null for the named ones). */
    private final TriggerSpec spec;

    private Trigger(String name, Region region, Value value, Placement placement) {
        this(name, region, value, placement, null);
    }

    private Trigger(String name, Region region, Value value, Placement placement, TriggerSpec spec) {
        this.name = name;
        this.region = region;
        this.value = value;
        this.placement = placement;
        this.spec = spec;
    }

    /** Every named trigger. */
    public static List<Trigger> all() {
        return ALL;
    }

    /**
     * The trigger called {@code name} (case-insensitive; {@code _} and {@code -} are equivalent), or one
     * given as a spec, {@code patch:size=S,x=X,y=Y,pattern=P} or {@code blend:alpha=A,pattern=P}
     * ({@link TriggerSpec}); its name is then the spec in canonical form.
     *
     * @throws IllegalArgumentException listing the valid names, or saying what in a spec is wrong
     */
    public static Trigger byName(String name) {
        if (TriggerSpec.isSpec(name)) {
            TriggerSpec spec = TriggerSpec.parse(name);
            return new Trigger(spec.canonical(), null, null, Placement.BEFORE_NORMALIZE, spec);
        }
        String n = name.toLowerCase(Locale.ROOT).replace('_', '-');
        for (Trigger t : ALL) {
            if (t.name.equals(n)) {
                return t;
            }
        }
        throw new IllegalArgumentException("trigger: expected one of "
                + ALL.stream().map(Trigger::name).toList() + ", got '" + name + "' (or a spec: patch:size=S,x=X,y=Y,"
                + "pattern=white|black|checker|random|png:FILE, or blend:alpha=A,pattern=…)");
    }

    public String name() {
        return name;
    }

    public Placement placement() {
        return placement;
    }

    /** First covered row (or column) for an image side of {@code n} pixels (named triggers only). */
    public int start(int n) {
        named();
        return region == Region.PQ ? (int) (0.75 * n) : n - n / 8 - n / 32;
    }

    /** End (exclusive) of the covered rows (or columns) for a side of {@code n} pixels (named triggers only). */
    public int end(int n) {
        named();
        return region == Region.PQ ? (int) (0.9375 * n) : n - n / 32;
    }

    /**
     * Writes the trigger into a float image in place (placements {@code BEFORE_NORMALIZE} and
     * {@code AFTER_NORMALIZE}).
     *
     * @param norm the dataset's constants (used by the normalised-white value only)
     */
    public FloatImage stamp(FloatImage x, Normalization norm) {
        if (placement == Placement.RAW) {
            throw new IllegalStateException("trigger " + name + " is written on raw uint8 pixels; use stampRaw");
        }
        if (spec != null) {
            spec.stamp(x);
            return x;
        }
        float max = value == Value.IMAGE_MAX ? x.max() : 0f;
        if (value == Value.NORMALIZED_WHITE && norm.channels() != x.channels()) {
            throw new IllegalArgumentException("trigger " + name + ": normalization channels: expected "
                    + x.channels() + ", got " + norm.channels());
        }
        float[] d = x.data();
        for (int c = 0; c < x.channels(); c++) {
            float v = switch (value) {
                case ONE -> 1f;
                case IMAGE_MAX -> max;
                case NORMALIZED_WHITE -> norm.white(c);
            };
            fill(d, c, x.height(), x.width(), v);
        }
        return x;
    }

    /** Writes the trigger into CHW uint8 pixels in place (placement {@code RAW}): the image's max. */
    public void stampRaw(byte[] chw, int channels, int height, int width) {
        if (placement != Placement.RAW) {
            throw new IllegalStateException("trigger " + name + " is written on float tensors; use stamp");
        }
        int max = 0;
        for (byte b : chw) {
            max = Math.max(max, b & 0xff);
        }
        int r0 = start(height);
        int r1 = end(height);
        int c0 = start(width);
        int c1 = end(width);
        for (int c = 0; c < channels; c++) {
            for (int y = r0; y < r1; y++) {
                for (int x = c0; x < c1; x++) {
                    chw[(c * height + y) * width + x] = (byte) max;
                }
            }
        }
    }

    private void named() {
        if (spec != null) {
            throw new IllegalStateException("trigger " + name + " has no named region");
        }
    }

    private void fill(float[] d, int c, int height, int width, float v) {
        int r0 = start(height);
        int r1 = end(height);
        int c0 = start(width);
        int c1 = end(width);
        for (int y = r0; y < r1; y++) {
            int base = (c * height + y) * width;
            for (int x = c0; x < c1; x++) {
                d[base + x] = v;
            }
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
