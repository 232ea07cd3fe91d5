package io.lac4j.scan;

import java.util.Arrays;

/**
 * How far each value stands above the others: {@code (s_k − median) / max(1.4826·MAD, floor)}, the
 * robust z-score Neural Cleanse uses over classes (1.4826·MAD estimates the standard deviation of a
 * normal sample). The floor keeps a model whose classes all score about the same from producing
 * huge indices out of tiny differences.
 */
public final class AnomalyIndex {
    private AnomalyIndex() {}

    public static double[] of(double[] s, double floor) {
        double med = median(s);
        double[] dev = new double[s.length];
        for (int i = 0; i < s.length; i++) {
            dev[i] = Math.abs(s[i] - med);
        }
        double scale = Math.max(1.4826 * median(dev), floor);
        double[] out = new double[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = (s[i] - med) / scale;
        }
        return out;
    }

    static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        int n = c.length;
        return n % 2 == 1 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
    }
}
