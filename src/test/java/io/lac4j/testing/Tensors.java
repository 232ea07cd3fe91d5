package io.lac4j.testing;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;

/** Tolerance comparisons that report shape mismatches first, then the worst index (D5). */
public final class Tensors {
    private Tensors() {}

    /** Asserts {@code |a - b| <= atol + rtol * |b|} element-wise; NaN equals NaN. */
    public static void assertClose(float[] actual, float[] expected, double rtol, double atol) {
        assertThat(actual.length).as("length").isEqualTo(expected.length);
        int worst = -1;
        double worstExcess = 0;
        for (int i = 0; i < actual.length; i++) {
            float a = actual[i];
            float b = expected[i];
            if (Float.isNaN(a) && Float.isNaN(b)) {
                continue;
            }
            double excess = Math.abs((double) a - b) - (atol + rtol * Math.abs(b));
            if (Double.isNaN(excess) || excess > worstExcess) {
                worstExcess = Double.isNaN(excess) ? Double.POSITIVE_INFINITY : excess;
                worst = i;
            }
        }
        if (worst >= 0) {
            throw new AssertionError(
                    String.format(
                            "index %d: actual %s, expected %s (rtol %g, atol %g)",
                            worst, actual[worst], expected[worst], rtol, atol));
        }
    }

    public static void assertClose(NDArray actual, float[] expected, long[] shape, double rtol, double atol) {
        assertThat(actual.getShape().getShape()).as("shape").containsExactly(shape);
        assertClose(actual.toFloatArray(), expected, rtol, atol);
    }

    /** Bit-for-bit equality (max abs diff 0, same NaN positions). */
    public static void assertExact(float[] actual, float[] expected) {
        assertClose(actual, expected, 0, 0);
    }
}
