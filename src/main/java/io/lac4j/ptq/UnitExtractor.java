package io.lac4j.ptq;

import io.lac4j.nn.Graph;
import io.lac4j.nn.Node;
import io.lac4j.nn.Ops;
import io.lac4j.quant.QuantizedModel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Cuts a quantized graph into reconstruction units in graph order (LAC.md §8.2). */
public final class UnitExtractor {
    private UnitExtractor() {}

    public static List<ReconstructionUnit> extract(QuantizedModel qm, Pattern pattern) {
        return pattern == Pattern.BLOCK ? blocks(qm) : layers(qm);
    }

    /**
     * MQBench's {@code layer} pattern: from each conv/linear not yet in a unit, follow the first
     * user while no user is a conv/linear, a residual add or the graph output.
     */
    public static List<ReconstructionUnit> layers(QuantizedModel qm) {
        Graph g = qm.graph();
        Set<String> done = new HashSet<>();
        List<ReconstructionUnit> units = new ArrayList<>();
        for (Node n0 : g.nodes()) {
            if (!n0.isWeighted() || done.contains(n0.name())) {
                continue;
            }
            List<String> chain = new ArrayList<>();
            chain.add(n0.name());
            String cur = n0.name();
            while (true) {
                List<Node> users = g.users(cur);
                if (users.isEmpty() || g.isOutput(cur)
                        || users.stream().anyMatch(u -> u.isWeighted() || Ops.isAdd(u.op()))) {
                    break;
                }
                cur = users.get(0).name();
                chain.add(cur);
            }
            units.add(unit(qm, chain));
            done.addAll(chain);
        }
        return units;
    }

    /**
     * BRECQ-style blocks: a residual block (from its first conv through the add, the ReLU after it
     * and the block-output activation quantizer) is one unit; convs outside residual blocks (stem,
     * classifier) stay layer units. The block-output quantizer then lies inside the unit.
     */
    public static List<ReconstructionUnit> blocks(QuantizedModel qm) {
        Graph g = qm.graph();
        List<ReconstructionUnit> layerUnits = layers(qm);
        List<ReconstructionUnit> out = new ArrayList<>();
        Set<String> done = new HashSet<>();
        for (ReconstructionUnit u : layerUnits) {
            if (done.contains(u.name())) {
                continue;
            }
            List<String> block = blockFrom(g, u);
            if (block == null) {
                out.add(u);
                done.add(u.name());
                continue;
            }
            out.add(unit(qm, block));
            done.addAll(block);
        }
        return out;
    }

    /** Nodes of the residual block that starts with {@code u}'s input, or null if none ends in an add. */
    private static List<String> blockFrom(Graph g, ReconstructionUnit u) {
        String in = u.input();
        Set<String> reach = new LinkedHashSet<>();
        reach.add(in);
        int start = g.indexOf(u.name());
        String add = null;
        for (int i = start; i < g.nodes().size(); i++) {
            Node n = g.nodes().get(i);
            if (n.inputs().stream().noneMatch(reach::contains)) {
                continue;
            }
            if (n.inputs().stream().anyMatch(s -> !reach.contains(s) && g.indexOf(s) < g.indexOf(in) && !s.equals(Graph.INPUT))) {
                return null;                    // reads something from before the block
            }
            reach.add(n.name());
            if (Ops.isAdd(n.op()) && n.inputs().stream().allMatch(reach::contains)) {
                add = n.name();
                break;
            }
        }
        if (add == null) {
            return null;
        }
        List<String> nodes = new ArrayList<>(reach);
        nodes.remove(in);
        String cur = add;
        while (true) {                          // ReLU after the add, then its output quantizer
            List<Node> users = g.users(cur);
            if (users.size() != 1 || users.get(0).isWeighted() || Ops.isAdd(users.get(0).op()) || g.isOutput(cur)) {
                break;
            }
            cur = users.get(0).name();
            nodes.add(cur);
        }
        return nodes;
    }

    private static ReconstructionUnit unit(QuantizedModel qm, List<String> chain) {
        Graph g = qm.graph();
        Set<String> members = new HashSet<>(chain);
        Set<String> external = new LinkedHashSet<>();
        for (String name : chain) {
            for (String in : g.node(name).inputs()) {
                if (!members.contains(in)) {
                    external.add(in);
                }
            }
        }
        if (external.size() != 1) {
            throw new IllegalStateException("unit " + chain.get(0) + " has inputs " + external + "; expected exactly one");
        }
        String output = chain.get(chain.size() - 1);
        String target = qm.isActivationQuantizer(output) ? qm.producerOf(output) : output;
        List<String> weighted = chain.stream().filter(n -> g.node(n).isWeighted()).toList();
        List<String> bns = chain.stream().filter(n -> g.node(n).isBatchNorm()).toList();
        return new ReconstructionUnit(chain.get(0), external.iterator().next(), chain, output, target, weighted, bns);
    }
}
