package io.lac4j.defense;

import io.lac4j.quant.QuantConfig;
import java.util.Map;

/**
 * One defense on a model's deployment path, known by its config name ({@code lac4j defend NAME},
 * {@code compare --defenses}). The run skeleton ({@code io.lac4j.pipeline}) loads the model,
 * evaluates it in FP, calibrates a quantized copy with {@link #quantizer}, evaluates that (naive
 * PTQ), then calls {@link #apply} and evaluates what it returns. A new defense is one class
 * implementing this plus one line in {@link Defenses}.
 */
public interface Defense {
    /** The config name users type ({@code lac+pda}, {@code fine-pruning}). */
    String name();

    /** The results.json phase of the defended model ({@code lac_pda}, {@code fine_pruning}). */
    String phase();

    /** One line for {@code --help} and the docs. */
    String description();

    /**
     * The quantizer this defense calibrates with, given the deployment's: most keep it; minmax and
     * lac-act change observers, EFRAP and AdaRound the weight quantizer. Must be a pure function.
     */
    default QuantConfig quantizer(QuantConfig deployment) {
        return deployment;
    }

    /**
     * Defends. Either changes {@link DefenseContext#calibrated()} in place and returns it, or builds
     * another quantized model ({@link DefenseContext#quantize}) and returns that (the skeleton closes
     * it); returns null when the calibrated model is already the defended one (naive, minmax).
     */
    Defended apply(DefenseContext ctx);

    /** The file name the defended model is exported to in the run folder. */
    default String modelFileName() {
        return phase() + ".pth";
    }

    /**
     * The options of {@link Defenses#OWN_OPTIONS} this defense reads ({@code --epochs} for a defense that trains);
     * {@code defend} and {@code compare} refuse one that is given when no defense of the run reads it, rather than
     * ignore it.
     */
    default java.util.Set<String> reads() {
        return java.util.Set.of();
    }

    /** What results.json's settings record about this defense's own options. */
    default Map<String, Object> settings(DefenseOptions options) {
        return Map.of();
    }
}
