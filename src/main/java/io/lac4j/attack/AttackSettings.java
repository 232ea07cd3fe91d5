package io.lac4j.attack;

import java.util.List;

/**
 * Attack-specific knobs with the reference defaults (ATTACKS.md): Qu-ANTI-zation's bits and
 * weights c1, c2 and the optional extra deployment quantizer; BadNets' poisoned images per batch;
 * CompArtifact's first quantized layer; PQBackdoor's margin and stage-1 epochs.
 *
 * @param extraQuantizer an MQBench preset name added to the Qu-ANTI-zation objective (null: none)
 * @param recalibrateEvery steps between recalibrations of the extra quantizer
 * @param calibrationBatches batches of 32 clean training images per recalibration
 * @param stage1Epochs PQBackdoor: epochs of the BadNets stage (0 when {@code --stage1} is given)
 * @param activationGrids MQBench observer names the extra quantizer's activation ranges are also taken with, a
 *     loss term pair each (the multi-grid adaptive attack; empty: the preset's own observer only)
 * @param defenseAware the defense-aware adaptive attack's simulated LAC purification (null: none)
 */
public record AttackSettings(
        List<Integer> bits,
        double c1,
        double c2,
        String extraQuantizer,
        int recalibrateEvery,
        int calibrationBatches,
        int poisonPerBatch,
        String quantizedFrom,
        float margin,
        int stage1Epochs,
        double stage1Lr,
        List<String> activationGrids,
        DefenseAware defenseAware) {

    /**
     * A short LAC purification of the current weights on the attacker's clean images every {@code every}
     * steps, whose corrected model the Qu-ANTI-zation objective also trains the backdoor into.
     *
     * @param maxCount LAC iterations per layer in each simulated purification
     */
    public record DefenseAware(int maxCount, int every) {
        public DefenseAware {
            if (maxCount <= 0 || every <= 0) {
                throw new IllegalArgumentException("--defense-aware-count and --defense-aware-every: expected > 0, got "
                        + maxCount + " and " + every);
            }
        }
    }

    public static final AttackSettings DEFAULTS =
            new AttackSettings(List.of(8, 4), 0.5, 0.5, null, 50, 8, 2, "layer4.0", PqProjection.MARGIN, 0, 0.01);

    /** Settings without extra activation grids. */
    public AttackSettings(List<Integer> bits, double c1, double c2, String extraQuantizer, int recalibrateEvery,
                          int calibrationBatches, int poisonPerBatch, String quantizedFrom, float margin, int stage1Epochs,
                          double stage1Lr) {
        this(bits, c1, c2, extraQuantizer, recalibrateEvery, calibrationBatches, poisonPerBatch, quantizedFrom, margin,
                stage1Epochs, stage1Lr, List.of(), null);
    }

    public AttackSettings {
        bits = List.copyOf(bits);
        activationGrids = activationGrids == null ? List.of() : List.copyOf(activationGrids);
        if (!activationGrids.isEmpty() && extraQuantizer == null) {
            throw new IllegalArgumentException("--activation-grids: needs --extra-quantizer (the grids are its activation ranges)");
        }
        if (bits.isEmpty()) {
            throw new IllegalArgumentException("--bits: expected at least one bit width");
        }
        if (poisonPerBatch < 0) {
            throw new IllegalArgumentException("--poison-per-batch: expected >= 0, got " + poisonPerBatch);
        }
    }
}
