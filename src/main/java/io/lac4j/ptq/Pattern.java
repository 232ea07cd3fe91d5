package io.lac4j.ptq;

import io.lac4j.InputException;

/** How units are cut: MQBench {@code layer} (the reference) or BRECQ-style {@code block}. */
public enum Pattern {
    LAYER, BLOCK;

    public static Pattern fromConfig(String v, String where) {
        return switch (v == null ? "layer" : v.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "layer" -> LAYER;
            case "block" -> BLOCK;
            default -> throw new InputException(where + ": expected layer or block, got '" + v + "'");
        };
    }
}
