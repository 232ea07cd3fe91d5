package io.lac4j.quant;

import java.util.Map;

/**
 * How {@link QuantizedModel#prepare} applies a {@link QuantConfig} to a graph.
 *
 * @param ioEightBit MQBench Academic rule (LAC.md §6.1.5): the first conv(s) reading the image,
 *     the output layer, and the activations feeding them use 8 bits
 * @param weightBits per-node overrides of the weight bit width, by conv/linear node name
 * @param activationBits per-node overrides by the name of the node whose output is quantized
 */
public record PrepareOptions(boolean ioEightBit, Map<String, Integer> weightBits, Map<String, Integer> activationBits) {
    public static final PrepareOptions ACADEMIC = new PrepareOptions(true, Map.of(), Map.of());

    public PrepareOptions {
        weightBits = Map.copyOf(weightBits);
        activationBits = Map.copyOf(activationBits);
    }
}
