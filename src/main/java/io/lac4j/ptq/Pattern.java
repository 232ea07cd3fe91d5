package io.lac4j.ptq;

import io.lac4j.InputException;

/**
 * How units are cut: MQBench {@code layer} (the reference), BRECQ-style {@code block}, or lac4j's
 * {@code layer_in}: layer units that also own the activation quantizer on their input (the first
 * unit reading a shared quantizer owns it), so that every activation quantizer — block outputs
 * included — lies inside some unit and can be learned.
 */
public enum Pattern {
    LAYER, BLOCK, LAYER_IN;

    public static Pattern fromConfig(String v, String where) {
        return switch (v == null ? "layer" : v.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "layer" -> LAYER;
            case "block" -> BLOCK;
            case "layer_in" -> LAYER_IN;
            default -> throw new InputException(where + ": expected layer, block or layer_in, got '" + v + "'");
        };
    }
}
