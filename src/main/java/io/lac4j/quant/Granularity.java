package io.lac4j.quant;

/** One (scale, zero point) for the whole tensor, or one per slice along a channel axis. */
public enum Granularity {
    /** One pair for the whole tensor ("per-layer"). */
    PER_TENSOR,
    /** One pair per index of {@link QScheme#channelAxis()} (weights: output channel, axis 0). */
    PER_CHANNEL
}
