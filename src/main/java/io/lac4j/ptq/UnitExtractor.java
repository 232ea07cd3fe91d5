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
        return switch (pattern) {
            case BLOCK -> blocks(qm);
            case LAYER_IN -> withInputQuantizers(qm, layers(qm));
            case LAYER -> layers(qm);
        };
    }

    /**
     * {@link Pattern#LAYER_IN}: each unit whose input is an activation quantizer not yet owned by an
     * earlier unit starts one node earlier — at the quantizer, its input being the producer's value.
     */
    public static List<ReconstructionUnit> withInputQuantizers(QuantizedModel qm, List<ReconstructionUnit> units) {
        Set<String> owned = new HashSet<>();
        List<ReconstructionUnit> out = new ArrayList<>();
        for (ReconstructionUnit u : units) {
            owned.addAll(u.nodes());
            if (!qm.isActivationQuantizer(u.input()) || owned.contains(u.input())) {
                out.add(u);
                continue;
            }
            owned.add(u.input());
            List<String> nodes = new ArrayList<>();
            nodes.add(u.input());
            nodes.addAll(u.nodes());
            out.add(new ReconstructionUnit(u.name(), qm.producerOf(u.input()), nodes, u.output(), u.fpTarget(),
                    u.weighted(), u.batchNorms()));
        }
        return out;
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
            List<String> block = blockFrom(g, u, qm::isActivationQuantizer);
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

    /**
     * Nodes of the residual block that starts at {@code u}'s input, or null: a block needs a second
     * path from its input to the add (the shortcut), besides the one through {@code u}.
     */
    private static List<String> blockFrom(Graph g, ReconstructionUnit u, java.util.function.Predicate<String> isActQuant) {
        String in = u.input();
        Set<String> main = new LinkedHashSet<>();        // reachable through u's first conv
        Set<String> side = new LinkedHashSet<>();        // reachable from the input otherwise
        main.add(u.name());
        side.add(in);
        String add = null;
        for (int i = g.indexOf(u.name()) + 1; i < g.nodes().size(); i++) {
            Node n = g.nodes().get(i);
            boolean fromMain = n.inputs().stream().anyMatch(main::contains);
            boolean fromSide = n.inputs().stream().anyMatch(side::contains);
            if (Ops.isAdd(n.op()) && fromMain && fromSide) {
                add = n.name();
                break;
            }
            if (fromMain) {
                main.add(n.name());
            } else if (fromSide) {
                side.add(n.name());
            }
        }
        if (add == null) {
            return null;
        }
        List<String> nodes = new ArrayList<>();
        for (Node n : g.nodes()) {
            if ((main.contains(n.name()) || side.contains(n.name())) && !n.name().equals(in)) {
                nodes.add(n.name());
            }
            if (n.name().equals(add)) {
                break;
            }
        }
        nodes.add(add);
        List<Node> users = g.users(add);         // the ReLU after the add ...
        if (users.size() == 1 && !users.get(0).isWeighted() && !g.isOutput(add)) {
            String relu = users.get(0).name();
            nodes.add(relu);
            List<Node> next = g.users(relu);    // ... and the block-output quantizer if it reads only that
            if (next.size() == 1 && isActQuant.test(next.get(0).name())) {
                nodes.add(next.get(0).name());
            }
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
