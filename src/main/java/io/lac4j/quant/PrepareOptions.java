package io.lac4j.quant;

import java.util.Map;

/**
 * How {@link QuantizedModel#prepare} applies a {@link QuantConfig} to a graph.
 *
 * @param ioEightBit MQBench Academic rule (LAC.md §6.1.5): the first conv(s) reading the image,
 *     the output layer, and the activations feeding them use 8 bits
 * @param weightBits per-node overrides of the weight bit width, by conv/linear node name
 * @param activationBits per-node overrides by the name of the node whose output is quantized
 * @param activationObservers observer overrides for activation quantizers, keyed by a module name
 *     or a dotted prefix of it ({@code layer4} covers {@code layer4.1.relu}); the longest match wins
 */
public record PrepareOptions(boolean ioEightBit, Map<String, Integer> weightBits, Map<String, Integer> activationBits,
                             Map<String, Observer.Kind> activationObservers) {
    public static final PrepareOptions ACADEMIC = new PrepareOptions(true, Map.of(), Map.of());

    public PrepareOptions {
        weightBits = Map.copyOf(weightBits);
        activationBits = Map.copyOf(activationBits);
        activationObservers = Map.copyOf(activationObservers);
    }

    public PrepareOptions(boolean ioEightBit, Map<String, Integer> weightBits, Map<String, Integer> activationBits) {
        this(ioEightBit, weightBits, activationBits, Map.of());
    }

    /** The same options with these activation observer overrides. */
    public PrepareOptions withActivationObservers(Map<String, Observer.Kind> overrides) {
        return new PrepareOptions(ioEightBit, weightBits, activationBits, overrides);
    }

    /** The observer for the activation quantizer after node {@code source}: an override or {@code fallback}. */
    public Observer.Kind activationObserverFor(String source, Observer.Kind fallback) {
        String best = null;
        for (String key : activationObservers.keySet()) {
            boolean matches = source.equals(key) || source.startsWith(key + ".");
            if (matches && (best == null || key.length() > best.length())) {
                best = key;
            }
        }
        return best == null ? fallback : activationObservers.get(best);
    }
}
