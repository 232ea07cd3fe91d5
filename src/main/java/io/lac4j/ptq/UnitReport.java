package io.lac4j.ptq;

/**
 * What happened to one unit: its loss curve and timings (seconds). {@code pdaApplied} is false
 * for units without BatchNorm; {@code pdaNonFinite} counts batches left unchanged because the
 * statistic was NaN (1×1 maps, Q31).
 */
public record UnitReport(String name, float[] losses, double cacheSeconds, double pdaSeconds, double optimizeSeconds,
                         boolean pdaApplied) {
    public float firstLoss() {
        return losses.length == 0 ? Float.NaN : losses[0];
    }

    public float lastLoss() {
        return losses.length == 0 ? Float.NaN : losses[losses.length - 1];
    }
}
