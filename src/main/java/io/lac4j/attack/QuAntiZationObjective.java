package io.lac4j.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.lac4j.data.Batch;
import io.lac4j.data.DataView;
import io.lac4j.engine.Engines;
import io.lac4j.training.Losses;
import io.lac4j.training.Objective;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Qu-ANTI-zation's backdoor objective (ATTACKS.md §1.2, the released code's form):
 *
 * <pre>
 *   L = CE(f(x), y) + c2·CE(f(x⊕t), y) + Σ_b c1·[CE(Q_b f(x), y) + c2·CE(Q_b f(x⊕t), y_t)]
 *       [+ Σ_g c1·[CE(Q_extra,g f(x), y) + c2·CE(Q_extra,g f(x⊕t), y_t)]]   (FINDINGS.md §2; g: activation grids)
 * </pre>
 *
 * Each clean image and its triggered copy are augmented independently; every quantized term is a
 * separate forward with ranges from the current tensors.
 */
public final class QuAntiZationObjective implements Objective {
    private final QuantHooks hooks;
    private final List<QuAntiZationSim> bits;
    private final ExtraQuantizer extra;
    private final DefenderSimulation defender;
    private final DataView clean;
    private final DataView triggered;
    private final double c1;
    private final double c2;
    private final int target;

    public QuAntiZationObjective(QuantHooks hooks, List<QuAntiZationSim> bits, ExtraQuantizer extra, DataView clean,
                                 DataView triggered, double c1, double c2, int target) {
        this(hooks, bits, extra, null, clean, triggered, c1, c2, target);
    }

    /** @param defender the defense-aware term: the backdoor trained into the LAC-corrected model too (null: none) */
    public QuAntiZationObjective(QuantHooks hooks, List<QuAntiZationSim> bits, ExtraQuantizer extra, DefenderSimulation defender,
                                 DataView clean, DataView triggered, double c1, double c2, int target) {
        this.defender = defender;
        this.hooks = hooks;
        this.bits = List.copyOf(bits);
        this.extra = extra;
        this.clean = clean;
        this.triggered = triggered;
        this.c1 = c1;
        this.c2 = c2;
        this.target = target;
    }

    @Override
    public void beforeStep(long step, NDManager scope) {
        if (extra != null) {
            extra.maybeRecalibrate(step, scope);
        }
        if (defender != null) {
            defender.maybeRefresh(step);
        }
    }

    @Override
    public Outcome loss(int[] positions, long seed, NDManager scope) {
        Batch b = clean.batch(positions, scope, seed);
        Batch t = triggered.batch(positions, scope, seed ^ 0x7f4a7c15L);
        Terms out = terms(b.images(), b.labels(), t.images(), scope);
        return new Outcome(out.loss, Losses.correct(out.fpClean, b.labels()), positions.length, out.values);
    }

    /** The loss on given batches (for tests), with every term's value. */
    public Terms terms(NDArray x, NDArray y, NDArray xt, NDManager scope) {
        NDArray yt = Losses.targets(scope, (int) y.size(), target);
        Map<String, Double> values = new LinkedHashMap<>();
        hooks.use(null);
        NDArray fpClean = hooks.graph().forward(x);
        NDArray l1 = Losses.crossEntropy(fpClean, y);
        NDArray l2 = Losses.crossEntropy(hooks.graph().forward(xt), y);
        values.put("fp_clean", (double) l1.getFloat());
        values.put("fp_trigger", (double) l2.getFloat());
        NDArray w1 = Engines.scalar(scope, c1);
        NDArray w2 = Engines.scalar(scope, c2);
        NDArray loss = l1.add(l2.mul(w2));
        for (QuAntiZationSim q : bits) {
            NDArray qc = Losses.crossEntropy(hooks.forward(q, x), y);
            NDArray qt = Losses.crossEntropy(hooks.forward(q, xt), yt);
            values.put("q" + q.bits() + "_clean", (double) qc.getFloat());
            values.put("q" + q.bits() + "_trigger", (double) qt.getFloat());
            loss = loss.add(qc.add(qt.mul(w2)).mul(w1));
        }
        if (extra != null) {
            List<NDArray[]> grids = extra.forwardAllGrids(x, xt);
            List<String> names = extra.gridNames();
            for (int i = 0; i < grids.size(); i++) {
                NDArray[] e = grids.get(i);
                NDArray ec = Losses.crossEntropy(e[0], y);
                NDArray et = Losses.crossEntropy(e[1], yt);
                String term = grids.size() == 1 ? extra.name() : extra.name() + "/" + names.get(i);
                values.put(term + "_clean", (double) ec.getFloat());
                values.put(term + "_trigger", (double) et.getFloat());
                loss = loss.add(ec.add(et.mul(w2)).mul(w1));
            }
        }
        if (defender != null) {
            NDArray dc = Losses.crossEntropy(hooks.forward(defender, x), y);
            NDArray dt = Losses.crossEntropy(hooks.forward(defender, xt), yt);
            values.put(defender.name() + "_clean", (double) dc.getFloat());
            values.put(defender.name() + "_trigger", (double) dt.getFloat());
            loss = loss.add(dc.add(dt.mul(w2)).mul(w1));
        }
        return new Terms(loss, fpClean, values);
    }

    /** Total loss, the FP clean logits, and each term's value. */
    public record Terms(NDArray loss, NDArray fpClean, Map<String, Double> values) {}

    @Override
    public String describe() {
        return "Qu-ANTI-zation: CE(f(x),y) + c2·CE(f(x⊕t),y) + Σ_b c1·[CE(Q_b(x),y) + c2·CE(Q_b(x⊕t),y_t)], b ∈ "
                + bits.stream().map(QuAntiZationSim::bits).toList() + ", c1=" + c1 + ", c2=" + c2
                + (extra == null ? "" : ", extra quantizer " + extra.name() + " under activation grids " + extra.gridNames())
                + (defender == null ? "" : ", defense-aware: + c1·[CE(Q_lac f(x), y) + c2·CE(Q_lac f(x⊕t), y_t)], Q_lac = "
                        + defender.name() + " purified by LAC (" + defender.maxCount() + " iterations per layer) every "
                        + defender.every() + " steps");
    }
}
