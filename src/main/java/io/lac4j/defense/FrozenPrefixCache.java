package io.lac4j.defense;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.lac4j.data.CalibrationList;
import io.lac4j.nn.Graph;
import io.lac4j.nn.Node;
import io.lac4j.quant.Calibration;
import io.lac4j.quant.FakeQuantizer;
import io.lac4j.quant.QuantStates;
import io.lac4j.quant.QuantizedModel;
import io.lac4j.quant.QuantizerRole;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A distillation's shortcut when only the network's tail learns (qad-reset: the layers before the reset stage are
 * frozen). Those layers, their weight grids and their activation ranges (measured on the same batches after every
 * epoch) are the same at every step, and so is the FP teacher; only the image a step draws changes. The cache runs
 * every training image through the teacher and through the quantized model's frozen prefix once per augmentation
 * view and keeps what the tail reads (the prefix's live values at the first trained node) and what the loss needs of
 * the teacher. A step then gathers its rows and runs the tail alone. For the images it holds this is exact; what
 * differs from a new augmentation draw at every step is that epoch {@code e} sees view {@code e mod views}.
 */
final class FrozenPrefixCache implements AutoCloseable {
    /** Native memory the cache may take; fewer views are kept when all of them would not fit. */
    static final long MEMORY_BUDGET_BYTES = 1L << 30;

    /** One step's values: the teacher's probabilities and feature, and the tail's inputs. */
    record Step(NDArray teacherProbabilities, NDArray teacherFeature, Map<String, NDArray> tailInputs) {}

    private final NDManager manager;
    private final List<Node> tail;
    private final List<String> frontier;
    /** The node before the tail, whose run computes the frontier; null when the tail starts at the input. */
    private final String lastPrefix;
    private final List<NDArray[]> views = new ArrayList<>();
    private final long bytesPerImage;
    /** The FP prefix's values at the frontier for the activation batches recalibrated so far, by batch index. */
    private final List<Map<String, NDArray>> fpRecalibrationInputs = new ArrayList<>();

    private FrozenPrefixCache(NDManager manager, List<Node> tail, List<String> frontier, String lastPrefix,
                              long bytesPerImage) {
        this.manager = manager;
        this.tail = tail;
        this.frontier = frontier;
        this.lastPrefix = lastPrefix;
        this.bytesPerImage = bytesPerImage;
    }

    /**
     * The nodes from the first one that owns a trained parameter to the output. Every parameter before them must be
     * frozen: a cache of layers that learn would be stale after the first step.
     */
    static List<Node> tail(Graph g, Set<String> trainedKeys) {
        List<Node> nodes = g.nodes();
        int first = -1;
        for (int i = 0; i < nodes.size() && first < 0; i++) {
            Node n = nodes.get(i);
            for (String local : n.op().parameterNames()) {
                if (trainedKeys.contains(n.name() + "." + local)) {
                    first = i;
                    break;
                }
            }
        }
        if (first < 0) {
            throw new IllegalArgumentException("frozen-prefix cache: no node owns a trained parameter");
        }
        return List.copyOf(nodes.subList(first, nodes.size()));
    }

    /** The values the tail reads that it does not compute itself, in tail order. */
    static List<String> frontier(Collection<Node> tail) {
        Set<String> inside = new HashSet<>();
        Set<String> read = new LinkedHashSet<>();
        for (Node n : tail) {
            for (String in : n.inputs()) {
                if (!inside.contains(in)) {
                    read.add(in);
                }
            }
            inside.add(n.name());
        }
        return List.copyOf(read);
    }

    /**
     * Runs the {@code n} images {@code views} times (fewer when the memory budget says so) through the teacher and
     * the quantized prefix, quantizers on. View {@code v}'s batch of positions starting at {@code c × batch} draws its
     * augmentation from key {@code ((v + 1) << 32) | c}, outside the live steps' keys.
     */
    static FrozenPrefixCache build(QuantizedModel qm, Graph fp, Set<String> trainedKeys, Distillation.StepImages source,
                                   int n, int batch, int views, Distillation.FeatureMatch features, NDManager parent) {
        if (views <= 0) {
            throw new IllegalArgumentException("frozen-prefix cache: expected views > 0, got " + views);
        }
        Graph g = qm.graph();
        List<Node> tail = tail(g, trainedKeys);
        List<String> frontier = frontier(tail);
        int first = g.indexOf(tail.get(0).name());
        String lastPrefix = first == 0 ? null : g.nodes().get(first - 1).name();
        Set<String> teacherTaps = features == null ? Set.of() : Set.of(features.fpNode());
        NDManager manager = parent.newSubManager();
        FrozenPrefixCache cache = null;
        try {
            qm.enableQuantization();
            int kept = views;
            for (int v = 0; v < kept; v++) {
                List<List<NDArray>> parts = new ArrayList<>();
                for (int k = 0; k < frontier.size() + 2; k++) {
                    parts.add(new ArrayList<>());
                }
                try (NDManager viewScope = manager.newSubManager()) {
                    for (int c = 0; c * batch < n; c++) {
                        int[] positions = new int[Math.min(n, (c + 1) * batch) - c * batch];
                        for (int i = 0; i < positions.length; i++) {
                            positions[i] = c * batch + i;
                        }
                        try (NDManager m = viewScope.newSubManager()) {
                            m.tempAttachAll(g.parameters().values().toArray(NDArray[]::new));
                            NDArray x = source.images(positions, ((long) (v + 1) << 32) | c, m);
                            Map<String, NDArray> teacherOut = fp.forward(x, teacherTaps, null);
                            keep(parts.get(0), teacherOut.get(fp.output()).softmax(1), viewScope);
                            keep(parts.get(1), features == null ? null : teacherOut.get(features.fpNode()), viewScope);
                            List<NDArray> values = frontierValues(g, frontier, lastPrefix, x);
                            for (int k = 0; k < frontier.size(); k++) {
                                keep(parts.get(k + 2), values.get(k), viewScope);
                            }
                        }
                    }
                    NDArray[] arrays = new NDArray[parts.size()];
                    long bytes = 0;
                    for (int k = 0; k < parts.size(); k++) {
                        if (!parts.get(k).isEmpty()) {
                            arrays[k] = NDArrays.concat(new NDList(parts.get(k)));
                            arrays[k].attach(manager);
                            bytes += arrays[k].size() * arrays[k].getDataType().getNumOfBytes();
                        }
                    }
                    if (cache == null) {
                        cache = new FrozenPrefixCache(manager, tail, frontier, lastPrefix, Math.max(1, bytes / n));
                        kept = (int) Math.max(1, Math.min(views, MEMORY_BUDGET_BYTES / Math.max(1, bytes)));
                    }
                    cache.views.add(arrays);
                }
            }
            return cache;
        } catch (RuntimeException | Error e) {
            manager.close();
            throw e;
        }
    }

    /**
     * What {@link Distillation#recalibrate} does with the first {@code batches} activation batches, for the tail's
     * quantizers alone. The prefix's quantizers would come out of it as they went in when they were measured on the
     * same batches before (frozen weights, observers reset first), so they are left as they are; the tail's observers
     * are reset and watch the FP network's values as calibration does, which at the frontier never change and are
     * computed once per batch. Then every quantizer is on again.
     */
    void recalibrateTail(QuantizedModel qm, CalibrationList act, int batches, NDManager parent) {
        Graph g = qm.graph();
        if (fpRecalibrationInputs.size() < batches) {
            qm.disableAll();
            for (int k = fpRecalibrationInputs.size(); k < batches; k++) {
                Map<String, NDArray> kept = new HashMap<>();
                try (NDManager m = parent.newSubManager()) {
                    m.tempAttachAll(g.parameters().values().toArray(NDArray[]::new));
                    List<NDArray> values = frontierValues(g, frontier, lastPrefix, act.batch(k, m));
                    for (int i = 0; i < frontier.size(); i++) {
                        NDArray own = values.get(i).duplicate();
                        own.attach(manager);
                        kept.put(frontier.get(i), own);
                    }
                }
                fpRecalibrationInputs.add(kept);
            }
        }
        List<FakeQuantizer> tailQuantizers = new ArrayList<>();
        for (Node n : tail) {
            Stream.of(qm.weightQuantizers().get(n.name()), qm.activationQuantizers().get(n.name()))
                    .filter(Objects::nonNull).forEach(tailQuantizers::add);
        }
        for (FakeQuantizer q : tailQuantizers) {
            if (q.observer() != null) {
                q.observer().reset();
            }
        }
        QuantStates.calibrate(tailQuantizers, EnumSet.of(QuantizerRole.ACTIVATION));
        for (Map<String, NDArray> inputs : fpRecalibrationInputs.subList(0, batches)) {
            try (NDManager m = parent.newSubManager()) {
                m.tempAttachAll(g.parameters().values().toArray(NDArray[]::new));
                // copies in the step's manager: an op's result, and a conv's weight, land in its input's manager
                Map<String, NDArray> env = new HashMap<>();
                inputs.forEach((name, value) -> {
                    NDArray copy = value.duplicate();
                    copy.attach(m);
                    env.put(name, copy);
                });
                g.run(env, tail);
            }
        }
        Calibration.calibrateWeights(qm, tail.stream().map(Node::name).collect(Collectors.toSet()), parent);
        qm.enableQuantization();
    }

    /** What the prefix (up to {@code lastPrefix}, null: nothing) computes for {@code x} at the frontier, in its order. */
    private static List<NDArray> frontierValues(Graph g, List<String> frontier, String lastPrefix, NDArray x) {
        Map<String, NDArray> prefix = lastPrefix == null ? Map.of(Graph.INPUT, x)
                : g.forward(x, new HashSet<>(frontier), lastPrefix);
        List<NDArray> values = new ArrayList<>(frontier.size());
        for (String name : frontier) {
            NDArray value = name.equals(Graph.INPUT) ? x : prefix.get(name);
            if (value == null) {
                throw new IllegalStateException("frozen-prefix cache: the tail reads '" + name
                        + "', which the prefix does not compute");
            }
            values.add(value);
        }
        return values;
    }

    private static void keep(List<NDArray> part, NDArray value, NDManager scope) {
        if (value != null) {
            NDArray own = value.duplicate();
            own.attach(scope);
            part.add(own);
        }
    }

    /** Views kept (the budget may have cut the number asked for). */
    int views() {
        return views.size();
    }

    /** Bytes one image takes in one view. */
    long bytesPerImage() {
        return bytesPerImage;
    }

    /** The nodes a step runs. */
    List<Node> tail() {
        return tail;
    }

    /** Epoch {@code epoch}'s values for {@code positions}, created in {@code m}. */
    Step step(int epoch, int[] positions, NDManager m) {
        NDArray[] view = views.get(epoch % views.size());
        long[] ids = new long[positions.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = positions[i];
        }
        NDIndex rows = new NDIndex("{}", m.create(ids));
        Map<String, NDArray> inputs = new HashMap<>();
        for (int k = 0; k < frontier.size(); k++) {
            inputs.put(frontier.get(k), gather(view[k + 2], rows, m));
        }
        return new Step(gather(view[0], rows, m), view[1] == null ? null : gather(view[1], rows, m), inputs);
    }

    private static NDArray gather(NDArray a, NDIndex rows, NDManager m) {
        NDArray r = a.get(rows);
        r.attach(m);
        return r;
    }

    @Override
    public void close() {
        manager.close();
    }
}
