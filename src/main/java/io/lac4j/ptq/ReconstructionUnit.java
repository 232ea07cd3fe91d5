package io.lac4j.ptq;

import java.util.List;

/**
 * One unit of LAC's reconstruction (LAC.md §8.2), named after its first conv/linear node.
 *
 * @param input the node whose cached output feeds the unit (an activation quantizer in the
 *     quantized graph; it is not executed inside the unit)
 * @param nodes the unit's nodes in trace order (quantized graph), ending with {@code output}
 * @param fpTarget the FP-graph node whose value is the target (the producer when the unit ends
 *     in an activation quantizer: the prediction is quantized, the target is not, Q7)
 * @param weighted conv/linear nodes whose rounding is learned
 * @param batchNorms BatchNorm nodes (PDA's statistics)
 */
public record ReconstructionUnit(String name, String input, List<String> nodes, String output, String fpTarget,
                                 List<String> weighted, List<String> batchNorms) {
    public ReconstructionUnit {
        nodes = List.copyOf(nodes);
        weighted = List.copyOf(weighted);
        batchNorms = List.copyOf(batchNorms);
    }
}
