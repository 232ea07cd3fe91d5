package io.lac4j.defense;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.lac4j.data.CalibrationList;
import io.lac4j.nn.BatchNorm2d;
import io.lac4j.nn.Graph;
import io.lac4j.nn.Node;
import io.lac4j.quant.Calibration;
import io.lac4j.quant.QuantizedModel;
import java.util.Collection;
import java.util.Set;

/** BatchNorm running statistics measured afresh on clean batches, through the network as it computes now. */
final class BatchNormStatistics {
    private BatchNormStatistics() {}

    /**
     * Channel mean and (population) variance of {@code bn}'s input over {@code batches} batches, passed through
     * {@code g} in whatever mode its quantizers are, become its running statistics.
     */
    static void measure(Graph g, Node bn, int batches, Calibration.BatchSource source, NDManager parent) {
        BatchNorm2d layer = (BatchNorm2d) bn.op();
        String input = bn.inputs().get(0);
        int c = layer.features();
        double[] sum = new double[c];
        double[] sumSq = new double[c];
        long count = 0;
        for (int k = 0; k < batches; k++) {
            try (NDManager m = parent.newSubManager()) {
                NDArray x = g.forward(source.batch(k, m), Set.of(input), bn.name()).get(input);
                long perChannel = x.size() / c;
                float[] s = x.sum(new int[] {0, 2, 3}).toFloatArray();
                float[] sq = x.square().sum(new int[] {0, 2, 3}).toFloatArray();
                for (int i = 0; i < c; i++) {
                    sum[i] += s[i];
                    sumSq[i] += sq[i];
                }
                count += perChannel;
            }
        }
        float[] mean = new float[c];
        float[] var = new float[c];
        for (int i = 0; i < c; i++) {
            mean[i] = (float) (sum[i] / count);
            var[i] = (float) Math.max(0, sumSq[i] / count - (sum[i] / count) * (sum[i] / count));
        }
        layer.runningMean().set(mean);
        layer.runningVar().set(var);
    }

    /**
     * Every BatchNorm of {@code qm} outside {@code except}, in graph order, takes the statistics of its input as the
     * quantized layers before it compute it (quantizers on) over all {@code act} batches; then every range is
     * calibrated again on them, as the deployment calibrates. A BatchNorm then normalises what the quantized network
     * feeds it, not what the FP network did: the shift and spread a coarser activation grid adds are taken out where
     * they arise instead of adding up layer after layer.
     */
    static void remeasureQuantized(QuantizedModel qm, Collection<Node> except, CalibrationList act, DefenseContext ctx) {
        Graph g = qm.graph();
        g.setTraining(false);
        qm.enableQuantization();
        for (Node n : g.nodes()) {
            if (n.isBatchNorm() && !except.contains(n)) {
                measure(g, n, act.size(), act::batch, ctx.manager());
            }
        }
        Distillation.recalibrate(qm, act, act.size(), ctx);
    }
}
