package io.lac4j.pipeline;

import io.lac4j.quant.Deployment;
import io.lac4j.quant.QuantConfig;

/**
 * What every defense of a comparison shares: the model, the data, the deployment quantizer at
 * W{@code bits}A{@code abits} (by default MQBench Academic W{@code b}A{@code b} with 8-bit first/last
 * layers), the calibration lists and the seed.
 *
 * @param bits weight bits (the reference's 4 or 8; 2–8 accepted)
 * @param abits activation bits: 0 for the family's own (Academic: {@code bits}; fbgemm/qnnpack: 8), 2–8, or 32 for
 *     activations left in float (weights-only, the protocol EFRAP and the weight-rounding papers report)
 * @param calibrationBatches batches of 32 in each calibration list ({@code cali_batchsize}, default 32)
 * @param maxCount reconstruction steps per unit for reconstructing defenses ({@code max_count}, 10 000)
 * @param epochs training epochs over the clean calibration images of the defenses that train; 0: each one's own
 * @param deployment the quantizer family naive PTQ and every PTQ defense use (the attack's own)
 */
public record DefenseProtocol(ModelSource model, DataSource data, int bits, int abits, int calibrationBatches, int maxCount,
                              int epochs, long seed, Deployment deployment) {
    public DefenseProtocol {
        if (model == null || data == null || deployment == null) {
            throw new IllegalArgumentException("defense protocol: model, data and deployment must be set");
        }
        if (bits < 2 || bits > 8) {
            throw new IllegalArgumentException("--bits: expected 2..8, got " + bits);
        }
        if (abits != 0 && abits != 32 && (abits < 2 || abits > 8)) {
            throw new IllegalArgumentException("--abits: expected 2..8, or 32 for activations in float, got " + abits);
        }
        if (calibrationBatches <= 0) {
            throw new IllegalArgumentException("--cali-batches: expected > 0, got " + calibrationBatches);
        }
        if (maxCount < 0) {
            throw new IllegalArgumentException("--max-count: expected >= 0, got " + maxCount);
        }
        if (epochs < 0) {
            throw new IllegalArgumentException("--epochs: expected > 0, got " + epochs);
        }
    }

    /** With the family's own activation bits. */
    public DefenseProtocol(ModelSource model, DataSource data, int bits, int calibrationBatches, int maxCount, int epochs,
                           long seed, Deployment deployment) {
        this(model, data, bits, 0, calibrationBatches, maxCount, epochs, seed, deployment);
    }

    /** Deployed with MQBench Academic (the reference's setting). */
    public DefenseProtocol(ModelSource model, DataSource data, int bits, int calibrationBatches, int maxCount, int epochs,
                           long seed) {
        this(model, data, bits, 0, calibrationBatches, maxCount, epochs, seed, Deployment.ACADEMIC);
    }

    /** The activation bits this protocol deploys at {@code bits} weight bits. */
    public int activationBits(int b) {
        return abits == 0 ? deployment.activationBits(b) : abits;
    }

    /** The deployment's quantizer at this protocol's widths. */
    public QuantConfig quantizer() {
        return deployment.config(bits, activationBits(bits));
    }

    /** {@code W4A4}, {@code W4A32}, … at {@code b} weight bits. */
    public String widths(int b) {
        return Deployment.widths(b, activationBits(b));
    }

    public DefenseProtocol withBits(int b) {
        return new DefenseProtocol(model, data, b, abits, calibrationBatches, maxCount, epochs, seed, deployment);
    }

    public DefenseProtocol withSeed(long s) {
        return new DefenseProtocol(model, data, bits, abits, calibrationBatches, maxCount, epochs, s, deployment);
    }
}
