package io.lac4j.defense;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.lac4j.nn.Graph;
import io.lac4j.nn.Node;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Fine-Pruning's pruning step (Liu, Dolan-Gavitt, Garg, RAID 2018): rank the output channels of the
 * last convolution by their mean activation on clean data and remove the least active ones. The
 * activation is read after the conv's BatchNorm when it has one (where a ResNet's channel enters the
 * residual sum), and clamped at 0 as a ReLU would. A channel is removed by zeroing its filter, its
 * bias and its BatchNorm γ and β, so it outputs exactly 0 in eval mode.
 */
public final class ChannelPruning {
    private ChannelPruning() {}

    /**
     * Which channels were removed.
     *
     * @param conv the pruned conv node
     * @param batchNorm its BatchNorm node, or null
     * @param channels output channels of the conv
     * @param indices removed channels, least active first
     */
    public record Pruned(String conv, String batchNorm, int channels, int[] indices) {
        public Pruned {
            indices = indices.clone();
        }

        @Override
        public int[] indices() {
            return indices.clone();
        }
    }

    /** Ranks and removes {@code floor(ratio · channels)} channels of the last conv of {@code g}. */
    public static Pruned prune(Graph g, List<NDArray> clean, double ratio, NDManager scope) {
        if (!(ratio >= 0 && ratio < 1)) {
            throw new IllegalArgumentException("prune ratio: expected in [0, 1), got " + ratio);
        }
        List<Node> convs = g.nodes().stream().filter(n -> n.isWeighted() && n.weighted().weight().getShape().dimension() == 4).toList();
        if (convs.isEmpty()) {
            throw new IllegalArgumentException("fine-pruning: the model has no convolution");
        }
        Node conv = convs.get(convs.size() - 1);
        List<Node> users = g.users(conv.name());
        String bn = users.size() == 1 && users.get(0).isBatchNorm() ? users.get(0).name() : null;
        String tap = bn != null ? bn : conv.name();
        int channels = (int) conv.weighted().weight().getShape().get(0);
        double[] mean = new double[channels];
        long count = 0;
        for (NDArray x : clean) {
            try (NDManager step = scope.newSubManager()) {
                step.tempAttachAll(x);
                NDArray a = g.forward(x, Set.of(tap), tap).get(tap);
                long n = a.getShape().get(0);
                float[] sums = a.maximum(0f).transpose(1, 0, 2, 3).reshape(channels, -1).sum(new int[] {1}).toFloatArray();
                for (int c = 0; c < channels; c++) {
                    mean[c] += sums[c];
                }
                count += n * a.getShape().get(2) * a.getShape().get(3);
            }
        }
        final long total = Math.max(1, count);
        int k = (int) Math.floor(ratio * channels);
        int[] order = IntStream.range(0, channels).boxed()
                .sorted(Comparator.comparingDouble((Integer c) -> mean[c] / total).thenComparingInt(c -> c))
                .mapToInt(Integer::intValue).limit(k).toArray();
        Pruned p = new Pruned(conv.name(), bn, channels, order);
        apply(g, p);
        return p;
    }

    /** Zeroes the removed channels again (after an optimiser update regrew them). */
    public static void apply(Graph g, Pruned p) {
        if (p.indices().length == 0) {
            return;
        }
        float[] keep = new float[p.channels()];
        Arrays.fill(keep, 1f);
        for (int c : p.indices()) {
            keep[c] = 0f;
        }
        zero(g, p.conv() + ".weight", keep);
        if (g.stateDict().containsKey(p.conv() + ".bias")) {
            zero(g, p.conv() + ".bias", keep);
        }
        if (p.batchNorm() != null) {
            zero(g, p.batchNorm() + ".weight", keep);
            zero(g, p.batchNorm() + ".bias", keep);
        }
    }

    private static void zero(Graph g, String key, float[] keep) {
        NDArray t = g.tensor(key);
        long[] shape = new long[t.getShape().dimension()];
        Arrays.fill(shape, 1L);
        shape[0] = keep.length;
        try (NDManager tmp = t.getManager().newSubManager()) {
            NDArray mask = tmp.create(keep, new ai.djl.ndarray.types.Shape(shape));
            t.muli(mask);
        }
    }
}
