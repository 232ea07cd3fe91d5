package io.lac4j.quant;

/**
 * A resolved quantization configuration: the weight and activation schemes, observer kinds and
 * quantizer kinds (MQBench {@code extra_qconfig_dict} after merging, STYLE M4). Presets: {@link
 * QuantPreset}. The graph code applies the Academic first/last-layer 8-bit rule with {@link
 * #newWeightQuantizer(int)} / {@link #newActivationQuantizer(int)}.
 */
public record QuantConfig(
        QScheme weight,
        QScheme activation,
        Observer.Kind weightObserver,
        Observer.Kind activationObserver,
        QuantizerKind weightQuantizer,
        QuantizerKind activationQuantizer) {

    public QuantConfig {
        if (weight == null || activation == null || weightObserver == null || activationObserver == null
                || weightQuantizer == null || activationQuantizer == null) {
            throw new IllegalArgumentException("quantization config: every field must be set");
        }
        if (activationQuantizer == QuantizerKind.LAC_ADAROUND || activationQuantizer == QuantizerKind.ADAROUND_SIGMOID
                || activationQuantizer == QuantizerKind.EFRAP_ADAROUND) {
            throw new IllegalArgumentException("a_fakequantize: expected an activation quantizer, got "
                    + activationQuantizer.configName());
        }
        if (weightQuantizer == QuantizerKind.LEARNABLE || weightQuantizer == QuantizerKind.QDROP) {
            throw new IllegalArgumentException("w_fakequantize: " + weightQuantizer.configName()
                    + " is per-tensor activation-only in lac4j");
        }
    }

    /** A new weight quantizer with this config's scheme. */
    public FakeQuantizer newWeightQuantizer() {
        return weightQuantizer.create(QuantizerRole.WEIGHT, weight, weightObserver);
    }

    /** A new weight quantizer with {@code bits} instead (e.g. 8 for first/last layers). */
    public FakeQuantizer newWeightQuantizer(int bits) {
        return weightQuantizer.create(QuantizerRole.WEIGHT, weight.withBits(bits), weightObserver);
    }

    public FakeQuantizer newActivationQuantizer() {
        return activationQuantizer.create(QuantizerRole.ACTIVATION, activation, activationObserver);
    }

    public FakeQuantizer newActivationQuantizer(int bits) {
        return activationQuantizer.create(QuantizerRole.ACTIVATION, activation.withBits(bits), activationObserver);
    }

    /** With {@code bits} and observer {@code observer} instead (per-module overrides). */
    public FakeQuantizer newActivationQuantizer(int bits, Observer.Kind observer) {
        return activationQuantizer.create(QuantizerRole.ACTIVATION, activation.withBits(bits), observer);
    }

    /** The same config with other bit widths (YAML {@code w_qscheme.bit}, {@code a_qscheme.bit}). */
    public QuantConfig withBits(int weightBits, int activationBits) {
        return new QuantConfig(weight.withBits(weightBits), activation.withBits(activationBits), weightObserver,
                activationObserver, weightQuantizer, activationQuantizer);
    }

    /** The same config with other observers/quantizers by MQBench name (YAML overrides). */
    public QuantConfig withKinds(Observer.Kind wObs, Observer.Kind aObs, QuantizerKind wq, QuantizerKind aq) {
        return new QuantConfig(weight, activation, wObs, aObs, wq, aq);
    }

    /** The same config with another activation observer (the activation grid of lac-act and qad-reset-regrid). */
    public QuantConfig withActivationObserver(Observer.Kind aObs) {
        return withKinds(weightObserver, aObs, weightQuantizer, activationQuantizer);
    }
}
