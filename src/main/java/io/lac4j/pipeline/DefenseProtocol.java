package io.lac4j.pipeline;

import io.lac4j.quant.Deployment;

/**
 * What every defense of a comparison shares: the model, the data, the deployment quantizer and its
 * bit width (by default MQBench Academic W{@code b}A{@code b} with 8-bit first/last layers), the
 * calibration lists and the seed.
 *
 * @param bits weight bits, and activation bits under Academic (the reference's 4 or 8; 2–8 accepted)
 * @param calibrationBatches batches of 32 in each calibration list ({@code cali_batchsize}, default 32)
 * @param maxCount reconstruction steps per unit for reconstructing defenses ({@code max_count}, 10 000)
 * @param epochs fine-tuning epochs over the clean calibration images (FT, Fine-Pruning; default 5)
 * @param deployment the quantizer family naive PTQ and every PTQ defense use (the attack's own, FINDINGS.md §1)
 */
public record DefenseProtocol(ModelSource model, DataSource data, int bits, int calibrationBatches, int maxCount,
                              int epochs, long seed, Deployment deployment) {
    public static final int DEFAULT_EPOCHS = 5;

    public DefenseProtocol {
        if (model == null || data == null || deployment == null) {
            throw new IllegalArgumentException("defense protocol: model, data and deployment must be set");
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

    /** Deployed with MQBench Academic (the reference's setting). */
    public DefenseProtocol(ModelSource model, DataSource data, int bits, int calibrationBatches, int maxCount, int epochs,
                           long seed) {
        this(model, data, bits, calibrationBatches, maxCount, epochs, seed, Deployment.ACADEMIC);
    }

    public DefenseProtocol withBits(int b) {
        return new DefenseProtocol(model, data, b, calibrationBatches, maxCount, epochs, seed, deployment);
    }

    public DefenseProtocol withSeed(long s) {
        return new DefenseProtocol(model, data, bits, calibrationBatches, maxCount, epochs, s, deployment);
    }
}
