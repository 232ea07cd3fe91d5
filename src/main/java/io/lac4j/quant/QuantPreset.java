package io.lac4j.quant;

import io.lac4j.ConfigNames;
import io.lac4j.InputException;

/**
 * Named quantization presets.
 *
 * <ul>
 *   <li>{@code academic-w4a4}, {@code academic-w8a8}: MQBench Academic as LAC/EFRAP run it
 *       (LAC.md §6, ATTACKS.md §4.4): weights asymmetric per-channel (axis 0), MSE observer, LAC
 *       learned-offset quantizer; activations asymmetric per-tensor, EMA-MSE, fixed FQ; round half
 *       to even. (The 8-bit first/last-layer rule is applied by the graph code.)
 *   <li>{@code academic-w4}: weights as w4a4, activations off (32 bits).
 *   <li>{@code fbgemm-int8}: PyTorch fbgemm defaults: weights int8 symmetric per-channel [−128,
 *       127] with (per-channel) min/max; activations uint8 with reduce_range [0, 127]. PyTorch's
 *       HistogramObserver for activations is replaced by MinMax (documented deviation).
 *   <li>{@code qnnpack-int8}: weights int8 symmetric per-tensor [−128, 127] min/max; activations
 *       uint8 [0, 255] (HistogramObserver → MinMax).
 *   <li>{@code qu-anti-zation}: 8-bit per-layer symmetric weights / asymmetric activations ranged
 *       from each tensor, half-up rounding (ATTACKS.md §1.3); use {@link QuantConfig#withBits} for 4.
 * </ul>
 */
public enum QuantPreset {
    ACADEMIC_W4A4("academic-w4a4", academic(4, 4)),
    ACADEMIC_W8A8("academic-w8a8", academic(8, 8)),
    ACADEMIC_W4("academic-w4", academic(4, QScheme.OFF_BITS)),
    ACADEMIC_A4("academic-a4", academic(QScheme.OFF_BITS, 4)),
    FBGEMM_INT8("fbgemm-int8", new QuantConfig(
            QScheme.symmetric(8, Granularity.PER_CHANNEL),
            QScheme.asymmetric(8, Granularity.PER_TENSOR).withRange(QuantRange.REDUCED),
            Observer.Kind.MIN_MAX, Observer.Kind.MIN_MAX, QuantizerKind.FIXED, QuantizerKind.FIXED)),
    QNNPACK_INT8("qnnpack-int8", new QuantConfig(
            QScheme.symmetric(8, Granularity.PER_TENSOR),
            QScheme.asymmetric(8, Granularity.PER_TENSOR),
            Observer.Kind.MIN_MAX, Observer.Kind.MIN_MAX, QuantizerKind.FIXED, QuantizerKind.FIXED)),
    QU_ANTI_ZATION("qu-anti-zation", new QuantConfig(
            QuAntiZationQuantizer.schemeFor(QuantizerRole.WEIGHT, 8),
            QuAntiZationQuantizer.schemeFor(QuantizerRole.ACTIVATION, 8),
            Observer.Kind.MIN_MAX, Observer.Kind.MIN_MAX, QuantizerKind.QU_ANTI_ZATION, QuantizerKind.QU_ANTI_ZATION));

    private final String presetName;
    private final QuantConfig config;

    QuantPreset(String presetName, QuantConfig config) {
        this.presetName = presetName;
        this.config = config;
    }

    private static QuantConfig academic(int wBits, int aBits) {
        return new QuantConfig(
                wBits > 8 ? QScheme.off() : QScheme.asymmetric(wBits, Granularity.PER_CHANNEL),
                aBits > 8 ? QScheme.off() : QScheme.asymmetric(aBits, Granularity.PER_TENSOR),
                Observer.Kind.MSE, Observer.Kind.EMA_MSE, QuantizerKind.LAC_ADAROUND, QuantizerKind.FIXED);
    }

    public String presetName() {
        return presetName;
    }

    public QuantConfig config() {
        return config;
    }

    /** The preset called {@code name}; {@link InputException} listing the valid names otherwise. */
    public static QuantPreset byName(String name, String source) {
        return ConfigNames.lookup(values(), QuantPreset::presetName, name, source);
    }
}
