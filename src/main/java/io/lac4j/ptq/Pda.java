package io.lac4j.ptq;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import io.lac4j.engine.Engines;
import io.lac4j.engine.Progress;
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
 *
 * <p>The loss is a sum of per-sample terms weighted by 1/N (N = the sample's batch size), so each
 * image's iterate depends on that image alone. {@link #correctAll} exploits it exactly: the images
 * of all batches step together (in chunks of bounded size), and an image leaves the loop once its
 * iterate repeats (a fixed point)
 * or alternates (a period-2 cycle, resolved by parity) — later steps are then known — until the
 * step size changes. {@link #correct} is the plain per-batch loop of the reference.
 */
public final class Pda {
    private static final float STAT_EPS = 1e-6f;

    private Pda() {}

    /** Whether the unit has anything to match (the reference logs "no bn layer in this layer"). */
    public static boolean applies(ReconstructionUnit unit) {
        return !unit.batchNorms().isEmpty();
    }

    /** Plain loop on one batch (the reference's); a new array in {@code out}, {@code x0} untouched. */
    public static NDArray correct(Graph g, ReconstructionUnit unit, NDArray x0, PdaConfig cfg, NDManager out) {
        NDArray x = x0.duplicate();
        x.attach(out);
        if (!applies(unit)) {
            return x;
        }
        List<Node> nodes = nodesFeedingBatchNorms(g, unit);
        int n = (int) x0.getShape().get(0);
        float[] weights = new float[n];
        java.util.Arrays.fill(weights, 1f / n);
        float a = (float) cfg.alpha();
        try (NDManager statsScope = out.newSubManager(); FrozenWeights frozen = FrozenWeights.freeze(g, nodes, statsScope)) {
            Map<String, NDArray[]> stats = runningStats(g, unit, statsScope);
            NDArray w = statsScope.create(weights);
            for (int t = 0; t < cfg.count(); t++) {
                if (PdaConfig.halvesAt(t)) {
                    a = a / 2;
                }
                try (NDManager step = out.newSubManager()) {
                    NDArray next = step(g, unit, nodes, x, x0, w, stats, a, cfg, step);
                    next.attach(out);
                    x.close();
                    x = next;
                }
            }
        }
        return x;
    }

    /**
     * One PDA step: {@code x ← x0 + clamp(x − a·sign(∂L/∂x) − x0, −ε, ε)} with sign(NaN) = 0 as
     * torch.sign (Q31), computed in {@code step}.
     */
    static NDArray step(Graph g, ReconstructionUnit unit, List<Node> nodes, NDArray x, NDArray x0, NDArray weights,
                        Map<String, NDArray[]> stats, float a, PdaConfig cfg, NDManager step) {
        step.tempAttachAll(x, x0, weights);
        NDArray xi = x.duplicate();
        xi.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            Map<String, NDArray> env = new HashMap<>();
            env.put(unit.input(), xi);
            g.run(env, nodes);
            Engines.backward(gc, loss(g, unit, env, stats, weights, cfg.biasedVariance()));
        }
        NDArray grad = xi.getGradient();
        NDArray sign = grad.sign().stopGradient();
        grad.close();
        float eps = (float) cfg.eps();
        return x0.add(x.sub(sign.mul(a)).sub(x0).clip(-eps, eps));
    }

    /**
     * L = Σ_b Σ_n w_n·[Σ_c (m_b − μ_b[n,c])² + Σ_c (r_b − σ_b[n,c])²], w_n = 1/N: the reference's
     * (1/N)·Σ_{n,c} written per sample (same gradient for every element).
     */
    static NDArray loss(Graph g, ReconstructionUnit unit, Map<String, NDArray> env, Map<String, NDArray[]> stats,
                        NDArray weights, boolean biased) {
        NDArray total = null;
        for (String bnName : unit.batchNorms()) {
            Node bn = g.node(bnName);
            NDArray a = env.get(bn.inputs().get(0));
            long n = a.getShape().get(0);
            long c = a.getShape().get(1);
            long hw = a.getShape().get(2) * a.getShape().get(3);
            NDArray flat = a.reshape(n, c, hw);          // DJL's PyTorch mean/sum take one axis
            NDArray mu = flat.mean(new int[] {2});
            NDArray centered = flat.sub(mu.expandDims(2));
            // squares as d·d and the divisor as a libtorch-owned tensor: DJL's pow/div(Number) hand
            // autograd a scalar whose Java buffer may be freed before backward reads it
            NDArray divisor = Engines.scalar(a.getManager(), biased ? hw : hw - 1);
            NDArray var = centered.mul(centered).sum(new int[] {2}).div(divisor);
            NDArray sigma = var.add(STAT_EPS).sqrt();
            NDArray[] mr = stats.get(bnName);
            // (μ − m)² = (m − μ)² exactly; μ first keeps the result in the step's manager
            NDArray dm = mu.sub(mr[0]);
            NDArray ds = sigma.sub(mr[1]);
            NDArray perSample = dm.mul(dm).sum(new int[] {1}).add(ds.mul(ds).sum(new int[] {1}));
            NDArray term = perSample.mul(weights).sum();
            total = total == null ? term : total.add(term);
        }
        return total;
    }

    /**
     * The unit's nodes the loss depends on: everything up to the last BatchNorm's input. BNs and
     * what follows them do not enter the statistic (it reads BN inputs), so running them would
     * change neither the loss nor its gradient.
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

    /**
     * Images per early-exit step are limited so one step's input holds at most this many floats
     * (1 MB): the step's autograd graph keeps several tensors of that size, and one tensor of
     * every cached image made the native peak (issue 10). The loss is separable per sample, so the
     * chunking leaves every result bit-identical.
     */
    static final long CHUNK_FLOATS = 1L << 18;

    /**
     * Corrects every cached batch; results (one per batch, in {@code out}) equal {@link #correct}
     * on each batch. With {@code cfg.earlyExit()} the exact early-exit path runs, else the plain loop.
     */
    public static List<NDArray> correctAll(Graph g, ReconstructionUnit unit, List<NDArray> inputs, PdaConfig cfg,
                                           NDManager out, Progress progress) {
        return correctAll(g, unit, inputs, cfg, out, progress, CHUNK_FLOATS);
    }

    static List<NDArray> correctAll(Graph g, ReconstructionUnit unit, List<NDArray> inputs, PdaConfig cfg,
                                    NDManager out, Progress progress, long chunkFloats) {
        if (!applies(unit) || !cfg.earlyExit()) {
            List<NDArray> result = new ArrayList<>(inputs.size());
            for (int k = 0; k < inputs.size(); k++) {
                result.add(correct(g, unit, inputs.get(k), cfg, out));
                progress.step("pda " + unit.name(), k + 1, inputs.size(), "");
            }
            return result;
        }
        return new EarlyExit(g, unit, inputs, cfg, chunkFloats).run(out, progress);
    }

    /**
     * The exact early-exit iteration over all batches at once (see the class comment). The iterates
     * live in native tensors (x0, x, the previous x, per-sample weights); Java keeps only the list
     * of images still moving.
     */
    private static final class EarlyExit {
        private final Graph g;
        private final ReconstructionUnit unit;
        private final List<NDArray> inputs;
        private final PdaConfig cfg;
        private final int total;
        private final int chunk;
        private NDArray x0;
        private NDArray x;
        private NDArray prev;
        private NDArray weight;

        EarlyExit(Graph g, ReconstructionUnit unit, List<NDArray> inputs, PdaConfig cfg, long chunkFloats) {
            this.g = g;
            this.unit = unit;
            this.inputs = inputs;
            this.cfg = cfg;
            int n = 0;
            for (NDArray b : inputs) {
                n += (int) b.getShape().get(0);
            }
            this.total = n;
            long per = inputs.get(0).getShape().size() / inputs.get(0).getShape().get(0);
            this.chunk = (int) Math.max(1, Math.min(n, chunkFloats / Math.max(1, per)));
        }

        List<NDArray> run(NDManager out, Progress progress) {
            List<Node> nodes = nodesFeedingBatchNorms(g, unit);
            List<int[]> phases = phases(cfg.count());
            float a = (float) cfg.alpha();
            long stepsDone = 0;
            List<NDArray> result = new ArrayList<>(inputs.size());
            try (NDManager state = out.newSubManager(); FrozenWeights frozen = FrozenWeights.freeze(g, nodes, state)) {
                init(state);
                Map<String, NDArray[]> stats = runningStats(g, unit, state);
                for (int[] phase : phases) {
                    if (PdaConfig.halvesAt(phase[0])) {
                        a = a / 2;
                    }
                    int[] active = new int[total];
                    for (int i = 0; i < total; i++) {
                        active[i] = i;
                    }
                    int nActive = total;
                    int fewest = total;
                    int stalled = 0;
                    for (int t = phase[0]; t < phase[1] && nActive > 0; t++) {
                        int kept = 0;
                        for (int from = 0; from < nActive; from += chunk) {
                            int to = Math.min(nActive, from + chunk);
                            kept = advance(nodes, stats, active, from, to, kept, a, t > phase[0], phase[1] - (t + 1), state);
                        }
                        nActive = kept;
                        stepsDone++;
                        progress.step("pda " + unit.name(), t + 1, cfg.count(), nActive + " images moving");
                        if (nActive < fewest) {
                            fewest = nActive;
                            stalled = 0;
                        } else if (!cfg.exact() && ++stalled >= PdaConfig.STALL_STEPS) {
                            break;                              // lossy: the rest cycle; keep their iterate
                        }
                    }
                }
                int off = 0;
                for (NDArray b : inputs) {
                    int bn = (int) b.getShape().get(0);
                    NDArray part = x.get(off + ":" + (off + bn)).duplicate();
                    part.attach(out);
                    result.add(part);
                    off += bn;
                }
            }
            progress.step("pda " + unit.name(), cfg.count(), cfg.count(), stepsDone + " steps run");
            return result;
        }

        private void init(NDManager state) {
            NDList parts = new NDList(inputs.toArray(NDArray[]::new));
            x0 = parts.size() == 1 ? inputs.get(0).duplicate() : NDArrays.concat(parts);
            x0.attach(state);
            x = x0.duplicate();
            x.attach(state);
            prev = x0.duplicate();
            prev.attach(state);
            float[] w = new float[total];
            int off = 0;
            for (NDArray b : inputs) {
                int bn = (int) b.getShape().get(0);
                java.util.Arrays.fill(w, off, off + bn, 1f / bn);
                off += bn;
            }
            weight = state.create(w);
        }

        /**
         * One step for {@code active[from, to)}: images whose iterate repeated (fixed point) or
         * returned to the value of two steps ago (period 2, then {@code remaining} more steps decide
         * by parity) are final for this phase; the others move and are compacted to {@code
         * active[kept...]}. Returns the new {@code kept}.
         */
        private int advance(List<Node> nodes, Map<String, NDArray[]> stats, int[] active, int from, int to, int kept,
                            float a, boolean havePrev, int remaining, NDManager state) {
            int n = to - from;
            long[] ids = new long[n];
            for (int j = 0; j < n; j++) {
                ids[j] = active[from + j];
            }
            try (NDManager step = state.newSubManager()) {
                NDIndex rows = new NDIndex("{}", step.create(ids));
                NDArray xa = gather(x, rows, step);
                NDArray next = Pda.step(g, unit, nodes, xa, gather(x0, rows, step), gather(weight, rows, step), stats, a, cfg, step);
                long[] diffX = differing(next, xa);
                long[] diffPrev = havePrev ? differing(next, gather(prev, rows, step)) : null;
                List<Long> moving = new ArrayList<>();
                List<Long> movingLocal = new ArrayList<>();
                List<Long> cycleLocal = new ArrayList<>();
                List<Long> cycle = new ArrayList<>();
                for (int j = 0; j < n; j++) {
                    if (diffX[j] == 0) {
                        continue;                                   // fixed point
                    }
                    if (diffPrev != null && diffPrev[j] == 0) {
                        if (remaining % 2 == 0) {                   // x_{end} = next; odd: stays at x
                            cycle.add(ids[j]);
                            cycleLocal.add((long) j);
                        }
                        continue;
                    }
                    moving.add(ids[j]);
                    movingLocal.add((long) j);
                    active[kept++] = (int) ids[j];
                }
                if (!moving.isEmpty()) {
                    NDIndex global = new NDIndex("{}", step.create(toLongs(moving)));
                    NDIndex local = new NDIndex("{}", step.create(toLongs(movingLocal)));
                    prev.set(global, gather(xa, local, step));
                    x.set(global, gather(next, local, step));
                }
                if (!cycle.isEmpty()) {
                    x.set(new NDIndex("{}", step.create(toLongs(cycle))),
                            gather(next, new NDIndex("{}", step.create(toLongs(cycleLocal))), step));
                }
            }
            return kept;
        }

        /** Rows of {@code a} picked by {@code rows}, owned by {@code step} (a gather result lands in a's manager). */
        private static NDArray gather(NDArray a, NDIndex rows, NDManager step) {
            NDArray r = a.get(rows);
            r.attach(step);
            return r;
        }

        /** Per row: the number of elements whose value differs (NaN differs from itself). */
        private static long[] differing(NDArray p, NDArray q) {
            long n = p.getShape().get(0);
            return p.neq(q).reshape(n, -1).toType(DataType.INT32, false).sum(new int[] {1}).toType(DataType.INT64, false).toLongArray();
        }

        private static long[] toLongs(List<Long> xs) {
            long[] out = new long[xs.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = xs.get(i);
            }
            return out;
        }

        /** [start, end) step ranges with a constant step size. */
        private static List<int[]> phases(int count) {
            List<int[]> out = new ArrayList<>();
            int start = 0;
            for (int t = 1; t < count; t++) {
                if (PdaConfig.halvesAt(t)) {
                    out.add(new int[] {start, t});
                    start = t;
                }
            }
            if (count > 0) {
                out.add(new int[] {start, count});
            }
            return out;
        }
    }
}
