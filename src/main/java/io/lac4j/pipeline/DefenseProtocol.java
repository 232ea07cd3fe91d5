package io.lac4j.pipeline;

/**
 * What every defense of a comparison shares: the model, the data, the bit width (weights and
 * activations, MQBench Academic with 8-bit first/last layers), the calibration lists and the seed.
 *
 * @param bits weight and activation bits (the reference's 4 or 8; 2–8 accepted)
 * @param calibrationBatches batches of 32 in each calibration list ({@code cali_batchsize}, default 32)
 * @param maxCount reconstruction steps per unit for reconstructing defenses ({@code max_count}, 10 000)
 * @param epochs fine-tuning epochs over the clean calibration images (FT, Fine-Pruning; default 5)
 */
public record DefenseProtocol(ModelSource model, DataSource data, int bits, int calibrationBatches, int maxCount,
                              int epochs, long seed) {
    public static final int DEFAULT_EPOCHS = 5;

    public DefenseProtocol {
        if (model == null || data == null) {
            throw new IllegalArgumentException("defense protocol: model and data must be set");
        }
        if (bits < 2 || bits > 8) {
            throw new IllegalArgumentException("--bits: expected 2..8, got " + bits);
        }
        if (calibrationBatches <= 0) {
            throw new IllegalArgumentException("--cali-batches: expected > 0, got " + calibrationBatches);
        }
        if (maxCount < 0) {
            throw new IllegalArgumentException("--max-count: expected >= 0, got " + maxCount);
        }
        if (epochs <= 0) {
            throw new IllegalArgumentException("--epochs: expected > 0, got " + epochs);
        }
    }

    public DefenseProtocol withBits(int b) {
        return new DefenseProtocol(model, data, b, calibrationBatches, maxCount, epochs, seed);
    }

    public DefenseProtocol withSeed(long s) {
        return new DefenseProtocol(model, data, bits, calibrationBatches, maxCount, epochs, s);
    }
}
