package io.lac4j.ptq;

/**
 * PDA settings (LAC.md §9): {@code pda} on/off, {@code pda_count} sign steps, {@code pda_alpha}
 * step size, {@code pda_eps} L∞ radius. {@code biasedVariance} is lac4j's option for Q31 (1×1
 * maps); {@code exact=false} allows lossy speed-ups (issue: speed).
 */
public record PdaConfig(boolean enabled, int count, double alpha, double eps, boolean biasedVariance, boolean exact) {
    public static final PdaConfig REFERENCE_OFF = new PdaConfig(false, 500, 1e-3, 1e-3, false, true);
    public static final PdaConfig REFERENCE_ON = new PdaConfig(true, 500, 1e-3, 1e-3, false, true);

    public PdaConfig {
        if (count < 0) {
            throw new IllegalArgumentException("pda_count: expected >= 0, got " + count);
        }
        if (!(eps >= 0) || !(alpha >= 0)) {
            throw new IllegalArgumentException("pda_alpha / pda_eps: expected >= 0, got " + alpha + " / " + eps);
        }
    }

    /** The reference's step-size halving points; only 250 is reachable with 500 steps (Q19). */
    public static boolean halvesAt(int t) {
        return t == 250 || t == 500 || t == 1000 || t == 2000 || t == 3000 || t == 4000;
    }
}
