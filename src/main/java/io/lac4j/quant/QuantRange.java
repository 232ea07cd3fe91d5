package io.lac4j.quant;

/**
 * Which integer range a b-bit scheme uses (ATTACKS.md §0.2).
 *
 * <ul>
 *   <li>{@link #FULL}: asymmetric {@code [0, 2^b - 1]}, symmetric {@code [-2^(b-1), 2^(b-1) - 1]}.
 *   <li>{@link #SYMMETRIC}: MQBench {@code symmetric_range} ("narrow"): symmetric {@code [-2^(b-1)
 *       + 1, 2^(b-1) - 1]}; an asymmetric scheme keeps its full range.
 *   <li>{@link #REDUCED}: PyTorch {@code reduce_range} (one bit less, fbgemm activations):
 *       asymmetric {@code [0, 2^(b-1) - 1]}, symmetric {@code [-2^(b-2), 2^(b-2) - 1]}.
 * </ul>
 */
public enum QuantRange {
    FULL,
    SYMMETRIC,
    REDUCED
}
