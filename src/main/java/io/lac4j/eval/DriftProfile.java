package io.lac4j.eval;

import java.util.List;

/**
 * Per-layer activation drift of one quantized model state against the FP model.
 *
 * @param phase which state was compared, e.g. {@code naive_ptq} or {@code purified}
 * @param images how many test images each value averages over
 * @param layers one entry per activation quantizer, in graph order
 */
public record DriftProfile(String phase, int images, List<LayerDrift> layers) {
    public DriftProfile {
        layers = List.copyOf(layers);
        if (images <= 0) {
            throw new IllegalArgumentException("drift profile '" + phase + "': expected images > 0, got " + images);
        }
    }

    public boolean hasTriggered() {
        return !layers.isEmpty() && layers.get(0).triggered() != null;
    }

    /** Mean clean drift over all layers. */
    public double meanClean() {
        return layers.stream().mapToDouble(LayerDrift::clean).average().orElse(0);
    }

    /** Mean triggered drift over all layers, or null without a trigger. */
    public Double meanTriggered() {
        return hasTriggered() ? layers.stream().mapToDouble(LayerDrift::triggered).average().orElse(0) : null;
    }
}
