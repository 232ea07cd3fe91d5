package io.lac4j.ptq;

import io.lac4j.quant.TemperatureDecay;

/**
 * The loss of AdaRound-style learned rounding {@code L_A + λ_F·L_F + λ_P·L_P} (ATTACKS.md §4.3).
 * {@link #EFRAP} is the released EFRAP code; {@link #adaRound} is plain AdaRound (no flip term,
 * β annealed), the no-defense-intent baseline.
 *
 * @param lambdaFlip λ_F, weight of the error-guided flip term (EFRAP code: 1; 0 = plain AdaRound)
 * @param lambdaRound λ_P, weight of the rounding regulariser (EFRAP code's {@code weight}: 0.01)
 * @param beta β of the regulariser when {@code decay} is null (EFRAP code: fixed 2, from iteration 0)
 * @param decay AdaRound's β schedule (regulariser off during warm-up), or null for a fixed β
 * @param weighting ω of the flip term ({@link FlipWeighting#ELEMENT}, the released code)
 */
public record EfrapConfig(double lambdaFlip, double lambdaRound, double beta, TemperatureDecay decay,
                          FlipWeighting weighting) {
    public static final EfrapConfig EFRAP = new EfrapConfig(1.0, 0.01, 2.0, null, FlipWeighting.ELEMENT);

    public EfrapConfig {
        if (!(lambdaFlip >= 0)) {
            throw new IllegalArgumentException("efrap lambda_flip: expected >= 0, got " + lambdaFlip);
        }
        if (!(lambdaRound >= 0)) {
            throw new IllegalArgumentException("efrap lambda_round: expected >= 0, got " + lambdaRound);
        }
        if (!(beta > 0)) {
            throw new IllegalArgumentException("efrap beta: expected > 0, got " + beta);
        }
        if (weighting == null) {
            throw new IllegalArgumentException("efrap weighting: expected element or neuron_norm, got null");
        }
    }

    /** Upstream AdaRound: no flip term, λ_P 0.01, β 20 → 2 after 20 % warm-up over {@code maxCount}. */
    public static EfrapConfig adaRound(int maxCount) {
        return new EfrapConfig(0.0, 0.01, 2.0, new TemperatureDecay(Math.max(1, maxCount), 0.2, 20, 2), FlipWeighting.ELEMENT);
    }

    public EfrapConfig withWeighting(FlipWeighting w) {
        return new EfrapConfig(lambdaFlip, lambdaRound, beta, decay, w);
    }

    /** β at iteration {@code t}, or NaN while the regulariser is off (AdaRound's warm-up). */
    double betaAt(int t) {
        if (decay == null) {
            return beta;
        }
        return decay.active(t) ? decay.beta(t) : Double.NaN;
    }
}
