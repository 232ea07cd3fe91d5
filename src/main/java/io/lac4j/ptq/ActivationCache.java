package io.lac4j.ptq;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.lac4j.nn.Graph;
import io.lac4j.nn.Node;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Unit inputs from the quantized path and targets from the FP path for every calibration batch
 * (LAC.md §8.3), built incrementally: each graph keeps a frontier of live node values per batch
 * that only moves forward, so all units together cost one forward of each graph (linear in
 * depth) instead of three whole-model forwards per unit.
 *
 * <p>Exactness: units are processed in trace order and a unit's nodes all follow its conv, so
 * every quantized node value is computed after the units before it were hardened — the same
 * value a fresh quantized forward from the images gives. PDA-corrected inputs are copies; the
 * frontier is never corrected. Values handed out by {@link #inputs}/{@link #targets} belong to
 * the cache and stay valid until the next {@link #advanceTo}.
 */
public final class ActivationCache implements AutoCloseable {
    private final NDManager manager;
    private final Frontier quantized;
    private final Frontier fp;

    /**
     * @param images the calibration batches (copied into the cache's own manager)
     */
    public ActivationCache(Graph quantizedGraph, Graph fpGraph, List<NDArray> images, NDManager parent) {
        this.manager = parent.newSubManager();
        // each frontier frees its values as they die, so each gets its own copy of the images
        this.quantized = new Frontier(quantizedGraph, copies(images), manager);
        this.fp = new Frontier(fpGraph, copies(images), manager);
    }

    private List<NDArray> copies(List<NDArray> images) {
        List<NDArray> own = new ArrayList<>(images.size());
        for (NDArray x : images) {
            NDArray c = x.duplicate();
            c.attach(manager);
            own.add(c);
        }
        return own;
    }

    /** Advances both frontiers so the unit's input and target are available. */
    public void advanceTo(ReconstructionUnit unit) {
        quantized.advanceTo(unit.input());
        fp.advanceTo(unit.fpTarget());
    }

    /**
     * QDrop (LAC.md §8.4, {@code prob} < 1): advances like {@link #advanceTo} and also returns the
     * FP value of the unit's input ({@code fpInput}, the producer its input quantizer reads), copied
     * into {@code out} before the FP frontier moves past it.
     */
    public List<NDArray> advanceToWithFpInputs(ReconstructionUnit unit, String fpInput, NDManager out) {
        quantized.advanceTo(unit.input());
        fp.advanceTo(fpInput);
        List<NDArray> copies = new ArrayList<>();
        for (NDArray v : fp.values(fpInput)) {
            NDArray c = v.duplicate();
            c.attach(out);
            copies.add(c);
        }
        fp.advanceTo(unit.fpTarget());
        return copies;
    }

    /** Cached quantized-path inputs of the unit, one per batch (owned by the cache). */
    public List<NDArray> inputs(ReconstructionUnit unit) {
        return quantized.values(unit.input());
    }

    /** Cached FP targets of the unit, one per batch (owned by the cache). */
    public List<NDArray> targets(ReconstructionUnit unit) {
        return fp.values(unit.fpTarget());
    }

    public int batches() {
        return quantized.envs.size();
    }

    /** Bytes currently held (both frontiers), for memory reports. */
    public long bytes() {
        return quantized.bytes() + fp.bytes();
    }

    @Override
    public void close() {
        manager.close();
    }

    /** Live node values of one graph per batch, advanced in trace order and pruned as they die. */
    private static final class Frontier {
        private final Graph graph;
        private final NDManager manager;
        private final List<Map<String, NDArray>> envs = new ArrayList<>();
        private final Map<String, Integer> lastUse = new HashMap<>();
        private int position = -1;

        Frontier(Graph graph, List<NDArray> images, NDManager manager) {
            this.graph = graph;
            this.manager = manager;
            for (NDArray x : images) {
                Map<String, NDArray> env = new HashMap<>();
                env.put(Graph.INPUT, x);
                envs.add(env);
            }
            List<Node> nodes = graph.nodes();
            for (int i = 0; i < nodes.size(); i++) {
                for (String in : nodes.get(i).inputs()) {
                    lastUse.put(in, i);
                }
            }
            lastUse.put(graph.output(), Integer.MAX_VALUE);
        }

        void advanceTo(String node) {
            int target = node.equals(Graph.INPUT) ? -1 : graph.indexOf(node);
            if (target < -1 || (target >= 0 && graph.nodes().get(target) == null)) {
                throw new IllegalArgumentException("no node " + node);
            }
            if (target <= position) {
                return;
            }
            List<Node> step = graph.nodes().subList(position + 1, target + 1);
            for (Map<String, NDArray> env : envs) {
                try (NDManager tmp = manager.newSubManager()) {
                    Set<NDArray> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
                    distinct.addAll(env.values());     // a pass-through node's value is its input's array
                    for (NDArray v : distinct) {
                        tmp.tempAttachAll(v);
                    }
                    graph.run(env, step);
                    for (Node n : step) {
                        env.get(n.name()).attach(manager);
                    }
                }
                prune(env, node, target);   // batch by batch: the step's dead values never pile up over all batches
            }
            position = target;
        }

        /**
         * Frees values of one batch that no node after {@code upTo} reads (keeping the one just asked
         * for). Pass-through nodes (a 32-bit "quantizer", Identity) hand on the very same array under a
         * second name, so an array is closed only when no surviving name still holds it.
         */
        private void prune(Map<String, NDArray> env, String keep, int upTo) {
            Set<NDArray> dead = Collections.newSetFromMap(new IdentityHashMap<>());
            Set<NDArray> live = Collections.newSetFromMap(new IdentityHashMap<>());
            Iterator<Map.Entry<String, NDArray>> it = env.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<String, NDArray> e = it.next();
                int last = lastUse.getOrDefault(e.getKey(), -1);
                if (!e.getKey().equals(keep) && last <= upTo) {
                    dead.add(e.getValue());
                    it.remove();
                } else {
                    live.add(e.getValue());
                }
            }
            for (NDArray v : dead) {
                if (!live.contains(v)) {
                    v.close();
                }
            }
        }

        List<NDArray> values(String node) {
            List<NDArray> out = new ArrayList<>(envs.size());
            for (Map<String, NDArray> env : envs) {
                NDArray v = env.get(node);
                if (v == null) {
                    throw new IllegalStateException("node " + node + " is not cached; call advanceTo first");
                }
                out.add(v);
            }
            return out;
        }

        long bytes() {
            long b = 0;
            for (Map<String, NDArray> env : envs) {
                for (NDArray v : env.values()) {
                    b += v.size() * v.getDataType().getNumOfBytes();
                }
            }
            return b;
        }
    }
}
