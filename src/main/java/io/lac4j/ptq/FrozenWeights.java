package io.lac4j.ptq;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.lac4j.nn.Graph;
import io.lac4j.nn.Node;
import io.lac4j.nn.WeightTransform;
import io.lac4j.nn.WeightedLayer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * While weights cannot change (PDA runs before a unit's rounding is learned), each conv/linear's
 * transformed (fake-quantized) weight is computed once and reused; closing restores the original
 * transforms. The values are the ones the transform produces, so results are bit-identical.
 */
final class FrozenWeights implements AutoCloseable {
    private final Map<WeightedLayer, WeightTransform> original = new LinkedHashMap<>();

    static FrozenWeights freeze(Graph g, List<Node> nodes, NDManager scope) {
        FrozenWeights f = new FrozenWeights();
        for (Node n : nodes) {
            if (!n.isWeighted()) {
                continue;
            }
            WeightedLayer layer = n.weighted();
            WeightTransform t = layer.weightTransform();
            NDArray w = layer.weight();
            scope.tempAttachAll(w);
            NDArray fixed = t.apply(w, scope).stopGradient();
            f.original.put(layer, t);
            layer.setWeightTransform((weight, s) -> fixed);
        }
        return f;
    }

    @Override
    public void close() {
        original.forEach(WeightedLayer::setWeightTransform);
    }
}
