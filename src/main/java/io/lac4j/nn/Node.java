package io.lac4j.nn;

import java.util.List;

/**
 * A named operation in a {@link Graph}. Module nodes carry the PyTorch module path as name (so
 * {@code layer1.0.conv1} owns {@code layer1.0.conv1.weight}); functional nodes (relu, add) get
 * descriptive names. {@code inputs} are names of earlier nodes or of the graph input.
 */
public record Node(String name, Layer op, List<String> inputs) {
    public Node {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("node name must not be empty");
        }
        inputs = List.copyOf(inputs);
    }

    public boolean isWeighted() {
        return op instanceof WeightedLayer;
    }

    public boolean isBatchNorm() {
        return op instanceof BatchNorm2d;
    }

    public WeightedLayer weighted() {
        return (WeightedLayer) op;
    }

    /** The same node reading from other inputs. */
    public Node withInputs(List<String> newInputs) {
        return new Node(name, op, newInputs);
    }
}
