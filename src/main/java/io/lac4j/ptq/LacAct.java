package io.lac4j.ptq;

import io.lac4j.quant.Observer;
import io.lac4j.quant.QuantConfig;

/**
 * What {@code method=lac-act} changes relative to faithful LAC (chosen by measurement,
 * docs/purify.md): activation ranges from a MinMax observer instead of EMA-MSE — no clipping, so the
 * activation grid differs from the one an attacker shaped the backdoor for — and each unit's
 * BatchNorm affine learned together with its rounding (Adam {@link #BN_LR}, cosine; BN stays FP in
 * the Academic deployment), which gives back clean accuracy the wider grid costs. The one place
 * both {@code purify} (as config keys) and {@code defend}/{@code compare} read the preset from.
 */
public final class LacAct {
    /** The activation observer of lac-act. */
    public static final Observer.Kind ACTIVATION_OBSERVER = Observer.Kind.MIN_MAX;
    /** Adam rate of the units' BN γ/β under lac-act. */
    public static final double BN_LR = 1e-3;

    private LacAct() {}

    /** {@code faithful} with lac-act's activation observer. */
    public static QuantConfig quant(QuantConfig faithful) {
        return faithful.withActivationObserver(ACTIVATION_OBSERVER);
    }

    /** {@code faithful} with lac-act's BN learning. */
    public static ReconstructionConfig reconstruction(ReconstructionConfig faithful) {
        return faithful.withBnLr(BN_LR);
    }
}
