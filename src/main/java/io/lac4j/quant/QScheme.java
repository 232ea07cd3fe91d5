package io.lac4j.quant;

/**
 * A quantization scheme: a small value that knows its integer range and nothing else (MQBench
 * {@code scheme.py}, STYLE M1; LAC.md §6.2, ATTACKS.md §0.2).
 *
 * @param bits bit width, 2..8; 16 or 32 mean "quantization off" ({@link #enabled()} is false)
 * @param symmetric symmetric (zero point 0, signed range) or asymmetric (unsigned range)
 * @param granularity per tensor or per channel
 * @param channelAxis the channel axis for {@link Granularity#PER_CHANNEL} (weights: 0), else -1
 * @param potScale round the scale to a power of two (MQBench {@code pot_scale}; off for Academic)
 * @param range full, narrow symmetric or reduced integer range
 * @param rounding rounding of the fixed fake quantizer and of the dynamic attack quantizers
 */
public record QScheme(
        int bits,
        boolean symmetric,
        Granularity granularity,
        int channelAxis,
        boolean potScale,
        QuantRange range,
        Rounding rounding) {

    /** Bit width meaning "not quantized" (MQBench leaves 32-bit modules as float). */
    public static final int OFF_BITS = 32;

    public QScheme {
        if (!(bits >= 2 && bits <= 8) && bits != 16 && bits != 32) {
            throw new IllegalArgumentException("bit: expected 2..8 (or 16/32 = off), got " + bits);
        }
        if (granularity == null || range == null || rounding == null) {
            throw new IllegalArgumentException("granularity, range and rounding must be set");
        }
        if (granularity == Granularity.PER_CHANNEL && channelAxis < 0) {
            throw new IllegalArgumentException("ch_axis: expected >= 0 for per-channel, got " + channelAxis);
        }
        if (granularity == Granularity.PER_TENSOR) {
            channelAxis = -1;
        }
        if (range == QuantRange.REDUCED && symmetric && bits < 3) {
            throw new IllegalArgumentException("reduce_range: expected bit >= 3 for a symmetric scheme, got " + bits);
        }
    }

    /** MQBench Academic asymmetric scheme: {@code [0, 2^b - 1]}, round half to even. */
    public static QScheme asymmetric(int bits, Granularity granularity) {
        return new QScheme(bits, false, granularity, granularity == Granularity.PER_CHANNEL ? 0 : -1,
                false, QuantRange.FULL, Rounding.HALF_EVEN);
    }

    /** Symmetric signed scheme {@code [-2^(b-1), 2^(b-1) - 1]}, zero point 0, round half to even. */
    public static QScheme symmetric(int bits, Granularity granularity) {
        return new QScheme(bits, true, granularity, granularity == Granularity.PER_CHANNEL ? 0 : -1,
                false, QuantRange.FULL, Rounding.HALF_EVEN);
    }

    /** A scheme that does not quantize (bits = 32). */
    public static QScheme off() {
        return new QScheme(OFF_BITS, false, Granularity.PER_TENSOR, -1, false, QuantRange.FULL,
                Rounding.HALF_EVEN);
    }

    /** False for 16/32 bits: the quantizer is the identity. */
    public boolean enabled() {
        return bits <= 8;
    }

    public boolean perChannel() {
        return granularity == Granularity.PER_CHANNEL;
    }

    /** Smallest integer level. */
    public int qmin() {
        if (!symmetric) {
            return 0;
        }
        return switch (range) {
            case FULL -> -half();
            case SYMMETRIC -> 1 - half();
            case REDUCED -> -(half() >> 1);
        };
    }

    /** Largest integer level. */
    public int qmax() {
        if (symmetric) {
            return range == QuantRange.REDUCED ? (half() >> 1) - 1 : half() - 1;
        }
        return range == QuantRange.REDUCED ? half() - 1 : (1 << bits) - 1;
    }

    private int half() {
        return 1 << (bits - 1);
    }

    /** The same scheme with another bit width (the Academic 8-bit first/last-layer rule). */
    public QScheme withBits(int newBits) {
        return new QScheme(newBits, symmetric, granularity, channelAxis, potScale, range, rounding);
    }

    /** The same scheme with another rounding. */
    public QScheme withRounding(Rounding newRounding) {
        return new QScheme(bits, symmetric, granularity, channelAxis, potScale, range, newRounding);
    }

    /** The same scheme with another integer range. */
    public QScheme withRange(QuantRange newRange) {
        return new QScheme(bits, symmetric, granularity, channelAxis, potScale, newRange, rounding);
    }

    /** The same scheme per tensor. */
    public QScheme perTensor() {
        return new QScheme(bits, symmetric, Granularity.PER_TENSOR, -1, potScale, range, rounding);
    }

    /** The same scheme per channel along {@code axis}. */
    public QScheme perChannel(int axis) {
        return new QScheme(bits, symmetric, Granularity.PER_CHANNEL, axis, potScale, range, rounding);
    }

    @Override
    public String toString() {
        if (!enabled()) {
            return "QScheme[off]";
        }
        return "QScheme[" + bits + "-bit " + (symmetric ? "symmetric" : "asymmetric")
                + (perChannel() ? " per-channel(axis " + channelAxis + ")" : " per-tensor")
                + " [" + qmin() + ", " + qmax() + "]"
                + (potScale ? " pot" : "") + " " + rounding + "]";
    }
}
