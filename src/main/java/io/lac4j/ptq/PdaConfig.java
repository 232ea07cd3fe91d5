package io.lac4j.ptq;

/**
 * PDA settings (LAC.md §9): {@code pda} on/off, {@code pda_count} sign steps, {@code pda_alpha}
 * step size, {@code pda_eps} L∞ radius. {@code biasedVariance} is lac4j's option for Q31 (1×1
 * maps). {@code earlyExit} (default on) runs the exact early-exit path — same result as the plain
 * loop, far fewer steps. {@code exact=false} (lossy, off by default) also ends a constant-step
 * phase once the number of still-moving images has not dropped for {@link #STALL_STEPS} steps: the
 * images left are in long cycles of the sign iteration and keep their current iterate.
 */
public record PdaConfig(boolean enabled, int count, double alpha, double eps, boolean biasedVariance, boolean earlyExit,
                        boolean exact) {
    /** exact=false: steps without fewer moving images after which a phase ends. */
    public static final int STALL_STEPS = 10;

    public static final PdaConfig REFERENCE_OFF = new PdaConfig(false, 500, 1e-3, 1e-3, false, true, true);
    public static final PdaConfig REFERENCE_ON = new PdaConfig(true, 500, 1e-3, 1e-3, false, true, true);

    /** The same settings with another step count. */
    public PdaConfig withCount(int steps) {
        return new PdaConfig(enabled, steps, alpha, eps, biasedVariance, earlyExit, exact);
    }

    /** The same settings switched on or off. */
    public PdaConfig withEnabled(boolean on) {
        return new PdaConfig(on, count, alpha, eps, biasedVariance, earlyExit, exact);
    }

    /** The same settings, exact or lossy. */
    public PdaConfig withExact(boolean on) {
        return new PdaConfig(enabled, count, alpha, eps, biasedVariance, earlyExit, on);
    }

    /** The same settings with the early-exit path on or off. */
    public PdaConfig withEarlyExit(boolean on) {
        return new PdaConfig(enabled, count, alpha, eps, biasedVariance, on, exact);
    }

    public PdaConfig {
        if (count < 0) {
            throw new IllegalArgumentException("pda_count: expected >= 0, got " + count);
        }
        if (!exact && !earlyExit) {
            throw new IllegalArgumentException("pda_exact=false needs pda_early_exit=true (the lossy stop is part of the early-exit path)");
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
