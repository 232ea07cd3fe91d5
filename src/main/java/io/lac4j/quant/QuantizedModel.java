package io.lac4j.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.lac4j.nn.Graph;
import io.lac4j.nn.Node;
import io.lac4j.nn.WeightedLayer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A copy of an FP graph with MQBench-Academic fake quantizers inserted (LAC.md §6.1): a weight
 * quantizer on every conv/linear, one activation quantizer right after every node that feeds a
 * conv/linear (all readers rewired, so an identity shortcut reads the quantized value), BN kept
 * unfolded, io layers at 8 bit. The FP graph is left untouched; it is the reference's "all
 * quantizers disabled" model.
 */
public final class QuantizedModel implements AutoCloseable {
    /** Suffix MQBench gives inserted activation quantizer nodes. */
    public static final String ACT_SUFFIX = "_post_act_fake_quantizer";

    private final Graph graph;
    private final QuantConfig config;
    private final Map<String, FakeQuantizer> weightQuantizers;
    private final Map<String, FakeQuantizer> activationQuantizers;
    private final Map<String, String> quantizedNode;

    private QuantizedModel(Graph graph, QuantConfig config, Map<String, FakeQuantizer> wq,
                           Map<String, FakeQuantizer> aq, Map<String, String> quantizedNode) {
        this.graph = graph;
        this.config = config;
        this.weightQuantizers = wq;
        this.activationQuantizers = aq;
        this.quantizedNode = quantizedNode;
    }

    /** Copies {@code fp} (into a child of {@code parent}) and inserts quantizers into the copy. */
    public static QuantizedModel prepare(Graph fp, QuantConfig config, PrepareOptions options, NDManager parent) {
        return insertInto(fp.copy(parent), config, options);
    }

    /**
     * Inserts quantizers into {@code g} itself, so FP and quantized passes share its weights (what
     * QAT-style attacks train): with every quantizer off ({@link #disableAll}) the graph computes the
     * FP network exactly. Closing the returned model closes {@code g}.
     */
    public static QuantizedModel insertInto(Graph g, QuantConfig config, PrepareOptions options) {
        List<Node> weighted = g.nodes().stream().filter(Node::isWeighted).toList();
        List<String> io = new ArrayList<>();
        for (Node n : weighted) {
            if (n.inputs().contains(Graph.INPUT) || g.isOutput(n.name())) {
                io.add(n.name());
            }
        }
        Map<String, FakeQuantizer> wq = new LinkedHashMap<>();
        for (Node n : weighted) {
            int bits = options.weightBits().getOrDefault(n.name(),
                    options.ioEightBit() && io.contains(n.name()) && config.weight().enabled() ? 8 : config.weight().bits());
            FakeQuantizer q = config.newWeightQuantizer(bits);
            WeightedLayer layer = n.weighted();
            layer.setWeightTransform((w, scope) -> q.apply(w));
            wq.put(n.name(), q);
        }
        Map<String, FakeQuantizer> aq = new LinkedHashMap<>();
        Map<String, String> source = new LinkedHashMap<>();
        for (Node n : weighted) {
            Node current = g.node(n.name());
            String src = current.inputs().get(0);
            if (aq.containsKey(src)) {
                continue;                       // the producer already has its shared quantizer
            }
            boolean ioInput = options.ioEightBit() && io.contains(n.name()) && config.activation().enabled();
            int bits = options.activationBits().getOrDefault(src, ioInput ? 8 : config.activation().bits());
            FakeQuantizer q = config.newActivationQuantizer(bits,
                    options.activationObserverFor(src, config.activationObserver()));
            String name = src + ACT_SUFFIX;
            g.insertAfter(src, new Node(name, new ActivationQuantLayer(q), List.of(src)));
            aq.put(name, q);
            source.put(name, src);
        }
        return new QuantizedModel(g, config, wq, aq, source);
    }

    public Graph graph() {
        return graph;
    }

    public QuantConfig config() {
        return config;
    }

    /** Weight quantizers by conv/linear node name, in trace order. */
    public Map<String, FakeQuantizer> weightQuantizers() {
        return Collections.unmodifiableMap(weightQuantizers);
    }

    /** Activation quantizers by their node name ({@code <producer>_post_act_fake_quantizer}). */
    public Map<String, FakeQuantizer> activationQuantizers() {
        return Collections.unmodifiableMap(activationQuantizers);
    }

    /** The FP node whose output an activation quantizer node quantizes. */
    public String producerOf(String actQuantNode) {
        return quantizedNode.get(actQuantNode);
    }

    public boolean isActivationQuantizer(String node) {
        return activationQuantizers.containsKey(node);
    }

    /** Every quantizer, weights first. */
    public List<FakeQuantizer> quantizers() {
        List<FakeQuantizer> all = new ArrayList<>(weightQuantizers.values());
        all.addAll(activationQuantizers.values());
        return all;
    }

    /** Forward through the quantized graph in its current quantizer state. */
    public NDArray forward(NDArray x) {
        return graph.forward(x);
    }

    /** {@code enable_quantization}: every quantizer on, observers off. */
    public void enableQuantization() {
        QuantStates.quantize(quantizers());
    }

    /** {@code disable_all}: the FP network. */
    public void disableAll() {
        QuantStates.disableAll(quantizers());
    }

    @Override
    public void close() {
        graph.close();
    }
}
