package io.lac4j.eval;

/**
 * Defense effectiveness rating (BackdoorBench, ATTACKS.md §0):
 * {@code DER = [max(0, ASR_before − ASR_after) − max(0, BA_before − BA_after) + 1] / 2}, with
 * every input in percent and the result in percent (0–100).
 */
public final class Der {
    private Der() {}

    public static double compute(double cdaBefore, double asrBefore, double cdaAfter, double asrAfter) {
        double dAsr = Math.max(0, asrBefore - asrAfter) / 100.0;
        double dCda = Math.max(0, cdaBefore - cdaAfter) / 100.0;
        return 100.0 * (dAsr - dCda + 1) / 2;
    }
}
