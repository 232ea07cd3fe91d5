package io.lac4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An ordered DAG of named nodes that mirrors a traced PyTorch model: nodes run in trace order,
 * tensors are addressable by their state_dict keys, any node's output can be tapped and a forward
 * can stop after any node. Plays the role torch.fx plays for MQBench: quantizer insertion and
 * unit extraction are queries and edits on this graph.
 */
public final class Graph implements AutoCloseable {
    /** Name of the graph input (the image batch). */
    public static final String INPUT = "x";

    private final List<Node> nodes;
    private final NDManager manager;
    private String output;

    public Graph(List<Node> nodes, String output, NDManager manager) {
        this.nodes = new ArrayList<>(nodes);
        this.output = output;
        this.manager = manager;
        validate();
    }

    private void validate() {
        Set<String> seen = new java.util.HashSet<>();
        seen.add(INPUT);
        for (Node n : nodes) {
            for (String in : n.inputs()) {
                if (!seen.contains(in)) {
                    throw new IllegalArgumentException("node '" + n.name() + "' reads '" + in + "' before it is computed");
                }
            }
            if (!seen.add(n.name())) {
                throw new IllegalArgumentException("duplicate node name '" + n.name() + "'");
            }
        }
        if (!seen.contains(output)) {
            throw new IllegalArgumentException("graph output '" + output + "' is not a node");
        }
    }

    /** The manager that owns the model's tensors. */
    public NDManager manager() {
        return manager;
    }

    public List<Node> nodes() {
        return Collections.unmodifiableList(nodes);
    }

    public String output() {
        return output;
    }

    public Node node(String name) {
        for (Node n : nodes) {
            if (n.name().equals(name)) {
                return n;
            }
        }
        throw new IllegalArgumentException("no node '" + name + "'");
    }

    public boolean hasNode(String name) {
        return nodes.stream().anyMatch(n -> n.name().equals(name));
    }

    public int indexOf(String name) {
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** Nodes that read {@code name}, in trace order. */
    public List<Node> users(String name) {
        List<Node> out = new ArrayList<>();
        for (Node n : nodes) {
            if (n.inputs().contains(name)) {
                out.add(n);
            }
        }
        return out;
    }

    /** Whether {@code name} is the graph output. */
    public boolean isOutput(String name) {
        return output.equals(name);
    }

    /**
     * Inserts {@code inserted} (which must read exactly {@code target}) right after {@code
     * target} and rewires every other reader of {@code target} to it — MQBench's "insert act
     * quant after node, all consumers rewired".
     */
    public void insertAfter(String target, Node inserted) {
        if (!inserted.inputs().equals(List.of(target))) {
            throw new IllegalArgumentException("inserted node must read exactly '" + target + "'");
        }
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            if (n.inputs().contains(target)) {
                List<String> rewired = new ArrayList<>(n.inputs());
                rewired.replaceAll(s -> s.equals(target) ? inserted.name() : s);
                nodes.set(i, n.withInputs(rewired));
            }
        }
        int at = target.equals(INPUT) ? 0 : indexOf(target) + 1;
        nodes.add(at, inserted);
        if (output.equals(target)) {
            output = inserted.name();
        }
        validate();
    }

    /**
     * Inserts {@code inserted} (which must read exactly {@code consumer}'s first input) right before
     * {@code consumer} and rewires only that consumer to it: a per-module input hook (Qu-ANTI-zation
     * quantizes each conv/linear's own input, while other readers keep the FP value).
     */
    public void insertBefore(String consumer, Node inserted) {
        int at = indexOf(consumer);
        if (at < 0) {
            throw new IllegalArgumentException("no node '" + consumer + "'");
        }
        Node c = nodes.get(at);
        if (!inserted.inputs().equals(List.of(c.inputs().get(0)))) {
            throw new IllegalArgumentException("inserted node must read exactly '" + c.inputs().get(0) + "'");
        }
        List<String> rewired = new ArrayList<>(c.inputs());
        rewired.set(0, inserted.name());
        nodes.set(at, c.withInputs(rewired));
        nodes.add(at, inserted);
        validate();
    }

    /** Full forward pass, returning the output node's value. */
    public NDArray forward(NDArray x) {
        return forward(x, Set.of(), null).get(output);
    }

    /**
     * Forward with taps: returns the values of {@code taps} (and of the output if reached). With
     * {@code stopAfter} set, no node after it runs.
     */
    public Map<String, NDArray> forward(NDArray x, Set<String> taps, String stopAfter) {
        Map<String, NDArray> env = new HashMap<>();
        env.put(INPUT, x);
        Map<String, NDArray> tapped = new LinkedHashMap<>();
        if (taps.contains(INPUT)) {
            tapped.put(INPUT, x);
        }
        for (Node n : nodes) {
            NDArray y = runNode(n, env);
            env.put(n.name(), y);
            if (taps.contains(n.name()) || n.name().equals(output)) {
                tapped.put(n.name(), y);
            }
            if (n.name().equals(stopAfter)) {
                break;
            }
        }
        return tapped;
    }

    /**
     * Runs {@code subset} (nodes of this graph, in order) reading inputs from {@code env} and
     * writing each output into it; used to run a reconstruction unit on cached inputs.
     */
    public Map<String, NDArray> run(Map<String, NDArray> env, Collection<Node> subset) {
        for (Node n : subset) {
            env.put(n.name(), runNode(n, env));
        }
        return env;
    }

    private static NDArray runNode(Node n, Map<String, NDArray> env) {
        NDList in = new NDList(n.inputs().size());
        for (String s : n.inputs()) {
            NDArray v = env.get(s);
            if (v == null) {
                throw new IllegalStateException("node '" + n.name() + "': input '" + s + "' has no value");
            }
            in.add(v);
        }
        return n.op().forward(in);
    }

    /** All parameters and buffers under their PyTorch state_dict keys, in trace order. */
    public Map<String, NDArray> stateDict() {
        Map<String, NDArray> sd = new LinkedHashMap<>();
        for (Node n : nodes) {
            for (Map.Entry<String, NDArray> e : n.op().tensors().entrySet()) {
                sd.put(n.name() + "." + e.getKey(), e.getValue());
            }
        }
        return sd;
    }

    /** Trainable parameters (weights, biases, BN affine) by state_dict key. */
    public Map<String, NDArray> parameters() {
        Map<String, NDArray> ps = new LinkedHashMap<>();
        for (Node n : nodes) {
            for (String local : n.op().parameterNames()) {
                ps.put(n.name() + "." + local, n.op().tensors().get(local));
            }
        }
        return ps;
    }

    /** The tensor stored under a state_dict key. */
    public NDArray tensor(String key) {
        NDArray t = stateDict().get(key);
        if (t == null) {
            throw new IllegalArgumentException("no tensor '" + key + "'");
        }
        return t;
    }

    /** Replaces the tensor under a state_dict key (shape checked). */
    public void assign(String key, NDArray value) {
        for (Node n : nodes) {
            String prefix = n.name() + ".";
            if (key.startsWith(prefix) && n.op().tensors().containsKey(key.substring(prefix.length()))) {
                n.op().assign(key.substring(prefix.length()), value);
                return;
            }
        }
        throw new IllegalArgumentException("no tensor '" + key + "'");
    }

    /** Sets every layer to train or eval mode (PyTorch's {@code model.train()/eval()}). */
    public void setTraining(boolean training) {
        for (Node n : nodes) {
            n.op().setTraining(training);
        }
    }

    /** A deep copy with its own manager (a child of {@code parent}). */
    public Graph copy(NDManager parent) {
        NDManager m = parent.newSubManager();
        List<Node> copied = new ArrayList<>(nodes.size());
        for (Node n : nodes) {
            copied.add(new Node(n.name(), n.op().copy(m), n.inputs()));
        }
        return new Graph(copied, output, m);
    }

    @Override
    public void close() {
        manager.close();
    }
}
