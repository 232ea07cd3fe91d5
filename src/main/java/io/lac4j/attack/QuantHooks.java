package io.lac4j.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.lac4j.nn.Graph;
import io.lac4j.nn.Layer;
import io.lac4j.nn.Node;
import io.lac4j.nn.WeightTransform;
import io.lac4j.nn.WeightedLayer;
import java.util.List;

/**
 * Installs switchable hooks around every conv/linear of a graph, in place, so the FP network and
 * an attack's quantized network share one set of weights (what QAT-style attacks train): a node
 * {@code <layer>.input_hook} on the layer's own input (other readers of the producer keep the FP
 * value, as in Qu-ANTI-zation's per-module quantizers), a weight transform, and optionally a
 * {@code <layer>.output_hook} after it. With {@link #use(SimulatedQuantizer) use(null)} every hook
 * is the identity and the graph computes the FP network (or whatever transform was installed
 * before, e.g. MQBench quantizers from {@code QuantizedModel.insertInto}).
 */
public final class QuantHooks {
    private final Graph graph;
    private SimulatedQuantizer active;

    private QuantHooks(Graph graph) {
        this.graph = graph;
    }

    /** Installs the hooks; {@code withOutputHooks} adds the output nodes (needed by integer backends). */
    public static QuantHooks install(Graph g, boolean withOutputHooks) {
        QuantHooks h = new QuantHooks(g);
        List<Node> weighted = g.nodes().stream().filter(Node::isWeighted).toList();
        for (Node n : weighted) {
            String name = n.name();
            WeightedLayer layer = n.weighted();
            WeightTransform before = layer.weightTransform();
            layer.setWeightTransform((w, scope) -> {
                SimulatedQuantizer q = h.active;
                return q == null ? before.apply(w, scope) : q.weight(name, w, scope);
            });
            g.insertBefore(name, new Node(name + ".input_hook", new Hook(h, name, true),
                    List.of(g.node(name).inputs().get(0))));
            if (withOutputHooks) {
                g.insertAfter(name, new Node(name + ".output_hook", new Hook(h, name, false), List.of(name)));
            }
        }
        return h;
    }

    /** Switches to {@code q} (null: FP). */
    public void use(SimulatedQuantizer q) {
        this.active = q;
    }

    public SimulatedQuantizer active() {
        return active;
    }

    public Graph graph() {
        return graph;
    }

    /** Forward with {@code q} active, restoring the previous state afterwards. */
    public NDArray forward(SimulatedQuantizer q, NDArray x) {
        SimulatedQuantizer prev = active;
        active = q;
        try {
            return graph.forward(x);
        } finally {
            active = prev;
        }
    }

    private record Hook(QuantHooks hooks, String layer, boolean input) implements Layer {
        @Override
        public NDArray forward(NDList inputs) {
            NDArray x = inputs.singletonOrThrow();
            SimulatedQuantizer q = hooks.active;
            if (q == null) {
                return x;
            }
            return input ? q.input(layer, x) : q.output(layer, x);
        }

        @Override
        public String describe() {
            return (input ? "InputHook(" : "OutputHook(") + layer + ")";
        }
    }
}
