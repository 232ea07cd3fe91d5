package io.lac4j.ptq;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.lac4j.nn.BatchNorm2d;
import io.lac4j.nn.Graph;
import io.lac4j.nn.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * PDA (LAC.md §9): moves each cached input batch by sign-gradient steps inside an L∞ ball so that
 * the per-sample spatial mean/std of every BatchNorm input in the unit approach the BN's running
 * statistics. Runs before the unit's optimisation with the weights in plain nearest-FQ mode.
 */
public final class Pda {
    private static final float STAT_EPS = 1e-6f;

    private Pda() {}

    /** Whether the unit has anything to match (the reference logs "no bn layer in this layer"). */
    public static boolean applies(ReconstructionUnit unit) {
        return !unit.batchNorms().isEmpty();
    }

    /**
     * Corrects one cached batch; returns a new array (in {@code out}'s manager) and leaves
     * {@code x0} untouched.
     */
    public static NDArray correct(Graph g, ReconstructionUnit unit, NDArray x0, PdaConfig cfg, NDManager out) {
        NDArray x = x0.duplicate();
        x.attach(out);
        if (!applies(unit)) {
            return x;
        }
        List<Node> nodes = nodesFeedingBatchNorms(g, unit);
        float a = (float) cfg.alpha();
        float eps = (float) cfg.eps();
        try (NDManager statsScope = out.newSubManager(); FrozenWeights frozen = FrozenWeights.freeze(g, nodes, statsScope)) {
            Map<String, NDArray[]> stats = runningStats(g, unit, statsScope);
            for (int t = 0; t < cfg.count(); t++) {
                if (PdaConfig.halvesAt(t)) {
                    a = a / 2;
                }
                try (NDManager step = out.newSubManager()) {
                    step.tempAttachAll(x0);
                    NDArray sign = gradientSign(g, unit, nodes, x, stats, cfg, step);
                    // x ← x0 + clamp(x − a·sign(g) − x0, −ε, ε)   (sign(NaN) = 0 leaves x as it is, Q31)
                    NDArray next = x0.add(x.sub(sign.mul(a)).sub(x0).clip(-eps, eps));
                    next.attach(out);
                    x.close();
                    x = next;
                }
            }
        }
        return x;
    }

    /**
     * The unit's nodes that the loss depends on: everything up to the last BatchNorm's input. The
     * BNs and what follows them do not enter the statistic (it reads BN inputs), so running them
     * would change neither the loss nor its gradient.
     */
    static List<Node> nodesFeedingBatchNorms(Graph g, ReconstructionUnit unit) {
        int last = -1;
        for (String name : unit.batchNorms()) {
            last = Math.max(last, unit.nodes().indexOf(g.node(name).inputs().get(0)));
        }
        return unit.nodes().subList(0, last + 1).stream().map(g::node).toList();
    }

    /** Per BN: running mean and sqrt(running_var + 1e-6), shaped [1, C], in {@code scope}. */
    static Map<String, NDArray[]> runningStats(Graph g, ReconstructionUnit unit, NDManager scope) {
        Map<String, NDArray[]> stats = new HashMap<>();
        for (String bnName : unit.batchNorms()) {
            BatchNorm2d layer = (BatchNorm2d) g.node(bnName).op();
            NDArray mean = scope.create(layer.runningMean().toFloatArray()).expandDims(0);
            NDArray r = scope.create(layer.runningVar().toFloatArray()).add(STAT_EPS).sqrt().expandDims(0);
            stats.put(bnName, new NDArray[] {mean, r});
        }
        return stats;
    }

    /** sign(∂L/∂x) with NaN mapped to 0, as torch.sign does. */
    static NDArray gradientSign(Graph g, ReconstructionUnit unit, List<Node> nodes, NDArray x,
                                Map<String, NDArray[]> stats, PdaConfig cfg, NDManager step) {
        step.tempAttachAll(x);
        NDArray xi = x.duplicate();
        xi.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            Map<String, NDArray> env = new HashMap<>();
            env.put(unit.input(), xi);
            g.run(env, nodes);
            NDArray loss = loss(g, unit, env, stats, cfg.biasedVariance());
            gc.backward(loss);
        }
        NDArray grad = xi.getGradient();
        NDArray sign = grad.sign();
        grad.close();
        return sign.stopGradient();
    }

    /** L = Σ_b (1/N)·[Σ_{n,c} (m_b − μ_b[n,c])² + Σ_{n,c} (r_b − σ_b[n,c])²] over the unit's BNs. */
    static NDArray loss(Graph g, ReconstructionUnit unit, Map<String, NDArray> env, Map<String, NDArray[]> stats,
                        boolean biased) {
        NDArray total = null;
        for (String bnName : unit.batchNorms()) {
            Node bn = g.node(bnName);
            NDArray a = env.get(bn.inputs().get(0));
            long n = a.getShape().get(0);
            long c = a.getShape().get(1);
            long hw = a.getShape().get(2) * a.getShape().get(3);
            NDArray flat = a.reshape(n, c, hw);          // DJL's PyTorch mean/sum take one axis
            NDArray mu = flat.mean(new int[] {2});
            NDArray var = flat.sub(mu.expandDims(2)).pow(2).sum(new int[] {2}).div(biased ? hw : hw - 1);
            NDArray sigma = var.add(STAT_EPS).sqrt();
            NDArray[] mr = stats.get(bnName);
            // (μ − m)² = (m − μ)² exactly; μ first keeps the result in the step's manager
            NDArray term = mu.sub(mr[0]).pow(2).sum().add(sigma.sub(mr[1]).pow(2).sum()).div(n);
            total = total == null ? term : total.add(term);
        }
        return total;
    }

    /** Corrects every cached batch independently; results in {@code out}. */
    public static List<NDArray> correctAll(Graph g, ReconstructionUnit unit, List<NDArray> inputs, PdaConfig cfg,
                                           NDManager out, io.lac4j.engine.Progress progress) {
        List<NDArray> result = new ArrayList<>(inputs.size());
        for (int k = 0; k < inputs.size(); k++) {
            result.add(correct(g, unit, inputs.get(k), cfg, out));
            progress.step("pda " + unit.name(), k + 1, inputs.size(), "");
        }
        return result;
    }
}
