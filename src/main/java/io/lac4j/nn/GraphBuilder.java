package io.lac4j.nn;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;

/** Appends nodes in trace order; each method returns the new node's name for chaining. */
public final class GraphBuilder {
    private final NDManager manager;
    private final List<Node> nodes = new ArrayList<>();

    public GraphBuilder(NDManager manager) {
        this.manager = manager;
    }

    public NDManager manager() {
        return manager;
    }

    public String add(String name, Layer op, String... inputs) {
        nodes.add(new Node(name, op, List.of(inputs)));
        return name;
    }

    public String conv(String name, String from, int in, int out, int k, int s, int p, boolean bias) {
        return add(name, new Conv2d(manager, in, out, k, s, p, 1, bias), from);
    }

    public String conv(String name, String from, int in, int out, int k, int s, int p, int groups, boolean bias) {
        return add(name, new Conv2d(manager, in, out, k, s, p, groups, bias), from);
    }

    public String bn(String name, String from, int c) {
        return add(name, new BatchNorm2d(manager, c), from);
    }

    public String relu(String name, String from) {
        return add(name, Ops.relu(), from);
    }

    public String relu6(String name, String from) {
        return add(name, Ops.relu6(), from);
    }

    public String linear(String name, String from, int in, int out, boolean bias) {
        return add(name, new Linear(manager, in, out, bias), from);
    }

    public String addResidual(String name, String a, String b) {
        return add(name, Ops.add(), a, b);
    }

    public Graph build(String output) {
        return new Graph(nodes, output, manager);
    }
}
