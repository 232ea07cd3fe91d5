package io.lac4j.quant;

import io.lac4j.ConfigNames;
import java.util.Map;

/**
 * The quantizer family a model is deployed with, at a chosen weight bit width: what naive PTQ and
 * every PTQ defense of {@code defend} / {@code compare} quantize with. A QCB wakes only under the
 * quantizer it was shaped for (FINDINGS.md §1), so a defense must be judged on the attack's own
 * deployment path: Academic for Qu-ANTI-zation's Academic-keyed models, fbgemm / qnnpack for
 * PQBackdoor. Every family's weight quantizer is {@link QuantizerKind#LAC_ADAROUND} (nearest
 * rounding until a reconstruction learns otherwise), as in the reference's Academic config.
 */
public enum Deployment {
    /**
     * MQBench Academic (LAC.md §6): W{@code b}A{@code b}, per-channel asymmetric weights (MSE),
     * per-tensor activations (EMA-MSE), first/last layers and their inputs at 8 bit.
     */
    ACADEMIC("academic"),
    /**
     * PyTorch fbgemm as PQBackdoor simulates it (ATTACKS.md §3.4): per-channel symmetric MinMax
     * weights at {@code b} bits on every layer, uint8 reduced-range MinMax activations (W{@code b}A8).
     */
    FBGEMM("fbgemm"),
    /** PyTorch qnnpack: per-tensor symmetric MinMax weights at {@code b} bits on every layer, uint8 MinMax activations. */
    QNNPACK("qnnpack");

    private final String configName;

    Deployment(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    /** The quantization config at {@code bits} weight bits (and activation bits, for Academic). */
    public QuantConfig config(int bits) {
        return config(bits, activationBits(bits));
    }

    /**
     * The config at {@code bits} weight and {@code abits} activation bits; {@code abits} 32 leaves
     * activations in float (the weights-only protocol EFRAP and the weight-rounding papers report).
     */
    public QuantConfig config(int bits, int abits) {
        QuantConfig c = switch (this) {
            case ACADEMIC -> QuantPreset.ACADEMIC_W4A4.config().withBits(bits, abits);
            case FBGEMM -> QuantPreset.FBGEMM_INT8.config().withBits(bits, abits);
            case QNNPACK -> QuantPreset.QNNPACK_INT8.config().withBits(bits, abits);
        };
        return c.withKinds(c.weightObserver(), c.activationObserver(), QuantizerKind.LAC_ADAROUND, c.activationQuantizer());
    }

    /** How the config is applied: Academic keeps its 8-bit first/last layers, the backends quantize every layer alike. */
    public PrepareOptions prepare() {
        return this == ACADEMIC ? PrepareOptions.ACADEMIC : new PrepareOptions(false, Map.of(), Map.of());
    }

    /** The family's activation bits at {@code bits} weight bits: the same under Academic, 8 under the backends. */
    public int activationBits(int bits) {
        return this == ACADEMIC ? bits : 8;
    }

    /** {@code W4A4}, {@code W4A8}: the widths this family deploys at {@code bits}. */
    public String widths(int bits) {
        return widths(bits, activationBits(bits));
    }

    /** {@code W4A4}, {@code W4A32} (activations in float). */
    public static String widths(int bits, int abits) {
        return "W" + bits + "A" + abits;
    }

    public static Deployment fromConfigName(String name, String source) {
        return ConfigNames.lookup(values(), Deployment::configName, name, source);
    }
}
