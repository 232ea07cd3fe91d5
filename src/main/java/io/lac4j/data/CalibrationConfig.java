package io.lac4j.data;

/**
 * Sizes and choices of the two calibration lists (LAC.md §3.2). Defaults ({@link #LAC}) are the
 * reference's: 32 batches of 32 from the first 5 % of train (augmented once), then 32 batches of
 * 32 from the shuffled test split.
 *
 * @param batchSize images per batch (reference 32)
 * @param reconstructionBatches batches of the reconstruction list (b) ({@code cali_batchsize}, Q26)
 * @param activationBatches batches of the activation-calibration list (a)
 * @param subsetFraction the train subset is {@code int(subsetFraction * len(train))} images
 * @param subset {@code FIRST} indices (faithful, Q3/Q12) or a {@code RANDOM} subset
 * @param augmentReconstruction apply RandomCrop(H, H/8) + Flip to list (b) (faithful: true)
 * @param activationSource {@code TEST} split (faithful, Q2) or the {@code TRAIN} subset with the
 *     test transform
 */
public record CalibrationConfig(
        int batchSize,
        int reconstructionBatches,
        int activationBatches,
        double subsetFraction,
        Subset subset,
        boolean augmentReconstruction,
        ActivationSource activationSource) {

    /** Which train images form the subset. */
    public enum Subset { FIRST, RANDOM }

    /** Where list (a) comes from. */
    public enum ActivationSource { TEST, TRAIN }

    public static final CalibrationConfig LAC =
            new CalibrationConfig(32, 32, 32, 0.05, Subset.FIRST, true, ActivationSource.TEST);

    public CalibrationConfig {
        if (batchSize <= 0 || reconstructionBatches <= 0 || activationBatches <= 0) {
            throw new IllegalArgumentException("calibration: expected positive batch size and counts, got "
                    + batchSize + ", " + reconstructionBatches + ", " + activationBatches);
        }
        if (!(subsetFraction > 0 && subsetFraction <= 1)) {
            throw new IllegalArgumentException("calibration subset fraction: expected (0, 1], got " + subsetFraction);
        }
        if (subset == null || activationSource == null) {
            throw new IllegalArgumentException("calibration: subset and activation source must be set");
        }
    }

    public CalibrationConfig withBatches(int reconstruction, int activation) {
        return new CalibrationConfig(batchSize, reconstruction, activation, subsetFraction, subset,
                augmentReconstruction, activationSource);
    }

    public CalibrationConfig withBatchSize(int size) {
        return new CalibrationConfig(size, reconstructionBatches, activationBatches, subsetFraction, subset,
                augmentReconstruction, activationSource);
    }

    public CalibrationConfig withSubset(double fraction, Subset mode) {
        return new CalibrationConfig(batchSize, reconstructionBatches, activationBatches, fraction, mode,
                augmentReconstruction, activationSource);
    }

    public CalibrationConfig withActivationSource(ActivationSource source) {
        return new CalibrationConfig(batchSize, reconstructionBatches, activationBatches, subsetFraction, subset,
                augmentReconstruction, source);
    }
}
