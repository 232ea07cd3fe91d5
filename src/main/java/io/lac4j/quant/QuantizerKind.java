package io.lac4j.quant;

import io.lac4j.ConfigNames;
import io.lac4j.InputException;

/**
 * Fake-quantizer variants with their config names. MQBench names map as the LAC reference uses
 * them: {@code AdaRoundFakeQuantize} is the LAC fork's learned-offset quantizer (LAC.md §6.9);
 * upstream AdaRound and Qu-ANTI-zation get lac4j names.
 */
public enum QuantizerKind {
    /** {@link FixedFakeQuantizer}. */
    FIXED("FixedFakeQuantize"),
    /** {@link LearnedOffsetQuantizer} (the LAC fork's {@code AdaRoundFakeQuantize}). */
    LAC_ADAROUND("AdaRoundFakeQuantize"),
    /** {@link AdaRoundQuantizer}, upstream rectified sigmoid (γ = −0.1, ζ = 1.1); lac4j name. */
    ADAROUND_SIGMOID("AdaRoundSigmoidFakeQuantize"),
    /** {@link AdaRoundQuantizer} with EFRAP's γ = 0, ζ = 1; lac4j name. */
    EFRAP_ADAROUND("EfrapAdaRoundFakeQuantize"),
    /** {@link LearnableActQuantizer}, LSQ+ (learned s and z, MQBench default grad scaling on). */
    LEARNABLE("LearnableFakeQuantize"),
    /** {@link LearnableActQuantizer}, learned s only, grad factor 1, QDrop probability. */
    QDROP("QDropFakeQuantize"),
    /** {@link QuAntiZationQuantizer}; lac4j name. */
    QU_ANTI_ZATION("QuAntiZationFakeQuantize");

    private final String configName;

    QuantizerKind(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    /** Maps a config name to a kind; {@link InputException} listing the valid names otherwise. */
    public static QuantizerKind fromConfigName(String name, String source) {
        return ConfigNames.lookup(values(), QuantizerKind::configName, name, source);
    }

    /** A new quantizer of this kind (the observer is unused by {@link #QU_ANTI_ZATION}). */
    public FakeQuantizer create(QuantizerRole role, QScheme scheme, Observer.Kind observer) {
        Observer ob = Observer.create(observer, scheme);
        return switch (this) {
            case FIXED -> new FixedFakeQuantizer(role, scheme, ob);
            case LAC_ADAROUND -> new LearnedOffsetQuantizer(scheme, ob);
            case ADAROUND_SIGMOID -> new AdaRoundQuantizer(scheme, ob, AdaRoundQuantizer.UPSTREAM[0], AdaRoundQuantizer.UPSTREAM[1]);
            case EFRAP_ADAROUND -> new AdaRoundQuantizer(scheme, ob, AdaRoundQuantizer.EFRAP[0], AdaRoundQuantizer.EFRAP[1]);
            case LEARNABLE -> new LearnableActQuantizer(scheme, ob, true, true);
            case QDROP -> new LearnableActQuantizer(scheme, ob, false, false);
            case QU_ANTI_ZATION -> new QuAntiZationQuantizer(role, scheme.bits());
        };
    }
}
