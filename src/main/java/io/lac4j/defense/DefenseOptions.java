package io.lac4j.defense;

import io.lac4j.ptq.EfrapConfig;
import io.lac4j.ptq.PdaConfig;
import io.lac4j.ptq.ReconstructionConfig;

/**
 * The knobs defenses share, with the reference's values by default. Checked here, once, before
 * any model is loaded.
 *
 * @param reconstruction LAC's reconstruction settings (max_count, lr, pattern…); reconstructing defenses start from it
 * @param pda PDA's settings; whether PDA runs is the defense's choice unless it runs "as configured" (purify)
 * @param efrap EFRAP's loss weights and ω (the released code's by default)
 * @param epochs training epochs over the clean calibration images of the defenses that train (FT, Fine-Pruning, qad,
 *     qad-reset); {@link #OWN_EPOCHS} (0): each defense's own default
 * @param pruneRatio fraction of the last conv's channels Fine-Pruning removes
 * @param seed the run's seed (batch stream, fine-tuning order)
 */
public record DefenseOptions(ReconstructionConfig reconstruction, PdaConfig pda, EfrapConfig efrap, int epochs,
                             double pruneRatio, long seed) {
    /** {@code epochs} for "each training defense's own default". */
    public static final int OWN_EPOCHS = 0;
    public static final double DEFAULT_PRUNE_RATIO = 0.2;

    public DefenseOptions {
        reconstruction = reconstruction == null ? ReconstructionConfig.REFERENCE : reconstruction;
        pda = pda == null ? PdaConfig.REFERENCE_OFF : pda;
        efrap = efrap == null ? EfrapConfig.EFRAP : efrap;
        if (epochs < 0) {
            throw new IllegalArgumentException("--epochs: expected > 0, got " + epochs);
        }
        if (!(pruneRatio >= 0 && pruneRatio < 1)) {
            throw new IllegalArgumentException("--prune-ratio: expected in [0, 1), got " + pruneRatio);
        }
        if (pda.enabled() && reconstruction.prob() < 1.0) {
            throw new IllegalArgumentException("pda=true with quantize.reconstruction.prob < 1 (QDrop) is not supported"
                    + " (the reference fails too); set prob: 1.0 or pda: False");
        }
    }

    /** {@code --epochs} as given on the command line (null: not given, each defense's own default). */
    public static int epochsOption(Integer given) {
        if (given != null && given <= 0) {
            throw new IllegalArgumentException("--epochs: expected > 0, got " + given);
        }
        return given == null ? OWN_EPOCHS : given;
    }

    /** The epochs asked for, or {@code own} (the defense's default) when none were. */
    public int epochsOr(int own) {
        return epochs == OWN_EPOCHS ? own : epochs;
    }

    /** The reference's settings at {@code maxCount} steps per unit. */
    public static DefenseOptions reference(int maxCount, long seed) {
        return new DefenseOptions(ReconstructionConfig.REFERENCE.withMaxCount(maxCount), PdaConfig.REFERENCE_OFF,
                EfrapConfig.EFRAP, OWN_EPOCHS, DEFAULT_PRUNE_RATIO, seed);
    }
}
