package io.lac4j.quant;

import ai.djl.ndarray.NDArray;

/**
 * How a real value is rounded to the integer grid (LAC.md Q6).
 *
 * <p>{@link #HALF_EVEN} is {@code torch.round} / C {@code nearbyint} (MQBench, PyTorch kernels);
 * {@link #HALF_UP} is {@code floor(v + 0.5)} (the attacks' own quantizers, LAC's soft forward).
 * They differ only at exact {@code .5} ties: 0.5 → 0 vs 1, 2.5 → 2 vs 3, -0.5 → -0 vs 0, -1.5 → -2
 * vs -1.
 */
public enum Rounding {
    HALF_EVEN,
    HALF_UP;

    /** Rounds {@code v} element-wise (no gradient semantics); the result is in v's manager. */
    public NDArray round(NDArray v) {
        return this == HALF_EVEN ? v.round() : v.add(0.5f).floor();
    }

    /** Rounds one float the same way as {@link #round(NDArray)}. */
    public float round(float v) {
        return this == HALF_EVEN ? (float) Math.rint(v) : (float) Math.floor(v + 0.5f);
    }
}
