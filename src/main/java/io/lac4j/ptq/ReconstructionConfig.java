package io.lac4j.ptq;

import java.util.List;

/**
 * The reconstruction settings of the reference YAML ({@code quantize.reconstruction.*}, LAC.md
 * §2.1) plus lac4j's method switches. Defaults are the reference's.
 *
 * @param pattern unit cutting rule ({@code pattern}, default layer)
 * @param maxCount optimisation steps per unit ({@code max_count}, default 10 000)
 * @param scaleLr activation-scale learning rate ({@code scale_lr}, 4e-5; a no-op unless scales are learned, Q1)
 * @param warmUp accepted, unused by the reference (Q4)
 * @param weight AdaRound regulariser weight; unused by the reference (Q4)
 * @param bRange AdaRound β range; unused by the reference (Q4)
 * @param roundMode only {@code learned_hard_sigmoid} (the α path)
 * @param prob QDrop mixing probability ({@code prob}, 1.0 = off)
 * @param weightLr Adam learning rate on α (1e-3, hard-coded in the reference)
 * @param learnActScale learn in-unit activation scales (LSQ) with Adam(scale_lr)+cosine — a deviation, Q1
 * @param actRecalibrate re-observe the unit's activation ranges on its (PDA-approximated) inputs before
 *     optimising — a lac-act option, off in the reference
 * @param bnLr learning rate (Adam, cosine to 0) of the unit's BatchNorm γ/β, which the Academic
 *     deployment keeps in FP; 0 = fixed (the reference)
 * @param weightLrCosine decay the α learning rate to 0 with a cosine over max_count (lac4j option; the
 *     reference keeps it constant, which does not converge on narrow networks, FINDINGS §3b)
 */
public record ReconstructionConfig(Pattern pattern, int maxCount, double scaleLr, double warmUp, double weight,
                                   List<Double> bRange, String roundMode, double prob, double weightLr,
                                   boolean learnActScale, boolean actRecalibrate, double bnLr,
                                   boolean weightLrCosine) {
    public static final ReconstructionConfig REFERENCE = new ReconstructionConfig(Pattern.LAYER, 10_000, 4e-5, 0.2,
            0.01, List.of(20.0, 2.0), "learned_hard_sigmoid", 1.0, 1e-3, false, false, 0.0, false);

    public ReconstructionConfig(Pattern pattern, int maxCount, double scaleLr, double warmUp, double weight,
                                List<Double> bRange, String roundMode, double prob, double weightLr, boolean learnActScale) {
        this(pattern, maxCount, scaleLr, warmUp, weight, bRange, roundMode, prob, weightLr, learnActScale, false, 0.0, false);
    }

    public ReconstructionConfig {
        if (maxCount < 0) {
            throw new IllegalArgumentException("max_count: expected >= 0, got " + maxCount);
        }
        if (prob <= 0 || prob > 1) {
            throw new IllegalArgumentException("prob: expected 0 < prob <= 1, got " + prob);
        }
        if (!(bnLr >= 0)) {
            throw new IllegalArgumentException("bn_lr: expected >= 0, got " + bnLr);
        }
        bRange = List.copyOf(bRange);
    }

    public ReconstructionConfig withMaxCount(int n) {
        return new ReconstructionConfig(pattern, n, scaleLr, warmUp, weight, bRange, roundMode, prob, weightLr, learnActScale, actRecalibrate, bnLr, weightLrCosine);
    }

    public ReconstructionConfig withWeightLr(double lr) {
        return new ReconstructionConfig(pattern, maxCount, scaleLr, warmUp, weight, bRange, roundMode, prob, lr, learnActScale, actRecalibrate, bnLr, weightLrCosine);
    }

    public ReconstructionConfig withBnLr(double lr) {
        return new ReconstructionConfig(pattern, maxCount, scaleLr, warmUp, weight, bRange, roundMode, prob, weightLr, learnActScale, actRecalibrate, lr, weightLrCosine);
    }

    public ReconstructionConfig withPattern(Pattern p) {
        return new ReconstructionConfig(p, maxCount, scaleLr, warmUp, weight, bRange, roundMode, prob, weightLr, learnActScale, actRecalibrate, bnLr, weightLrCosine);
    }
}
