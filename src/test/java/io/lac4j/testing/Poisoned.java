package io.lac4j.testing;

import io.lac4j.engine.FreedBufferPoison;
import java.util.function.Supplier;

/** Runs a computation with freed direct buffers poisoned before every backward pass ({@link FreedBufferPoison}). */
public final class Poisoned {
    private Poisoned() {}

    /** {@code body}'s result, computed with the poison at every backward pass; the suite's setting is restored. */
    public static <T> T everyPass(Supplier<T> body) {
        String before = System.getProperty(FreedBufferPoison.PROPERTY);
        System.setProperty(FreedBufferPoison.PROPERTY, "1");
        try {
            return body.get();
        } finally {
            if (before == null) {
                System.clearProperty(FreedBufferPoison.PROPERTY);
            } else {
                System.setProperty(FreedBufferPoison.PROPERTY, before);
            }
        }
    }

    /** {@code body}'s result with the poison off. */
    public static <T> T never(Supplier<T> body) {
        String before = System.getProperty(FreedBufferPoison.PROPERTY);
        System.clearProperty(FreedBufferPoison.PROPERTY);
        try {
            return body.get();
        } finally {
            if (before != null) {
                System.setProperty(FreedBufferPoison.PROPERTY, before);
            }
        }
    }
}
