package io.lac4j.ptq;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.lac4j.Lac4jException;
import io.lac4j.engine.Engines;
import io.lac4j.optim.Adam;
import io.lac4j.engine.Mt19937;
import io.lac4j.engine.Progress;
import io.lac4j.nn.Graph;
import io.lac4j.nn.Node;
import io.lac4j.quant.FakeQuantizer;
import io.lac4j.quant.LearnableActQuantizer;
import io.lac4j.quant.QuantizedModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Optimises one unit's rounding offsets α (LAC.md §8.4): {@code max_count} Adam(1e-3) steps, each
 * on one cached batch drawn by the reference's numpy MT19937 stream, loss = {@link #lpLoss}.
 */
public final class UnitReconstruction {
    private UnitReconstruction() {}

    /**
     * {@code lp_loss}: squared error summed over dim 1, averaged over the other dims. The square is
     * {@code d·d}, not {@code pow(2)}: DJL's {@code pow(Number)} hands autograd a scalar whose Java
     * buffer may be freed before backward reads it.
     */
    public static NDArray lpLoss(NDArray prediction, NDArray target) {
        NDArray d = prediction.sub(target);
        return d.mul(d).sum(new int[] {1}).mean();
    }

    /**
     * Runs the loop; α live in {@code unitScope}. Returns the loss of every iteration.
     *
     * @param rng the shared batch-index stream (continues across units, as in the reference)
     */
    public static float[] optimize(QuantizedModel qm, ReconstructionUnit unit, List<NDArray> inputs,
                                   List<NDArray> targets, ReconstructionConfig cfg, Mt19937 rng,
                                   NDManager unitScope, Progress progress) {
        return optimize(qm, unit, inputs, null, targets, cfg, rng, unitScope, progress);
    }

    /**
     * With {@code cfg.prob() < 1} (QDrop, LAC.md §8.4): each iteration's input is {@code where(U <
     * prob, x_quant, x_fp)} with a fresh uniform draw from the engine's seeded generator, and the
     * unit's learnable activation quantizers keep each quantized element with probability prob.
     *
     * @param fpInputs FP values of the unit's input, batch by batch (required when prob < 1)
     */
    public static float[] optimize(QuantizedModel qm, ReconstructionUnit unit, List<NDArray> inputs,
                                   List<NDArray> fpInputs, List<NDArray> targets, ReconstructionConfig cfg, Mt19937 rng,
                                   NDManager unitScope, Progress progress) {
        return optimize(qm, unit, inputs, fpInputs, targets, cfg, rng, unitScope, progress,
                WeightRounding.LAC.begin(qm, unit, unitScope));
    }

    /**
     * The loop with another rounding (EFRAP, AdaRound): the loss is {@code L_A + rounding.penalty}
     * and Adam(weight_lr) updates {@code rounding.trainables()}; everything else is LAC's loop.
     * Harden afterwards with {@link #harden(QuantizedModel, ReconstructionUnit, UnitRounding)}.
     */
    public static float[] optimize(QuantizedModel qm, ReconstructionUnit unit, List<NDArray> inputs,
                                   List<NDArray> fpInputs, List<NDArray> targets, ReconstructionConfig cfg, Mt19937 rng,
                                   NDManager unitScope, Progress progress, UnitRounding rounding) {
        boolean drop = cfg.prob() < 1.0;
        if (drop && fpInputs == null) {
            throw new IllegalArgumentException("prob < 1 (QDrop) needs the FP inputs of unit " + unit.name());
        }
        Graph g = qm.graph();
        Adam adam = new Adam(rounding.trainables(), unitScope, 0);
        List<LearnableActQuantizer> acts = cfg.learnActScale() ? learnableActivations(qm, unit, true) : List.of();
        List<NDArray> actParams = new ArrayList<>();
        for (LearnableActQuantizer q : acts) {
            actParams.addAll(q.initLearning(unitScope));
        }
        Adam adamAct = actParams.isEmpty() ? null : new Adam(actParams, unitScope, 0);
        List<String> bnKeys = new ArrayList<>();
        List<NDArray> bnParams = new ArrayList<>();
        if (cfg.bnLr() > 0) {       // lac-act option: the unit's BN affine (FP in the Academic deployment) learns too
            for (String bn : unit.batchNorms()) {
                for (String p : List.of(".weight", ".bias")) {
                    NDArray copy = g.tensor(bn + p).duplicate();
                    copy.attach(unitScope);
                    copy.setRequiresGradient(true);
                    g.assign(bn + p, copy);
                    bnKeys.add(bn + p);
                    bnParams.add(copy);
                }
            }
        }
        Adam adamBn = bnParams.isEmpty() ? null : new Adam(bnParams, unitScope, 0);
        List<LearnableActQuantizer> dropping = drop ? learnableActivations(qm, unit, false) : List.of();
        for (LearnableActQuantizer q : dropping) {
            q.setDropProbability(cfg.prob());
        }
        List<Node> nodes = unit.nodes().stream().map(g::node).toList();
        float[] losses = new float[cfg.maxCount()];
        try {
            for (int i = 0; i < cfg.maxCount(); i++) {
                losses[i] = step(g, unit, nodes, inputs, fpInputs, targets, cfg, rng.nextIndex(inputs.size()), unitScope,
                        rounding, i);
                if (!Float.isFinite(losses[i])) {
                    throw new Lac4jException("ptq: unit '" + unit.name() + "' iteration " + i + ": reconstruction loss is "
                            + losses[i] + (i > 0 ? " (last finite " + losses[i - 1] + " at " + (i - 1) + ")" : ""));
                }
                adam.step(cfg.weightLrCosine() ? cosine(cfg.weightLr(), i, cfg.maxCount()) : cfg.weightLr());
                if (adamAct != null) {
                    adamAct.step(cosine(cfg.scaleLr(), i, cfg.maxCount()));
                }
                if (adamBn != null) {
                    adamBn.step(cosine(cfg.bnLr(), i, cfg.maxCount()));
                }
                if ((i + 1) % 50 == 0 || i + 1 == cfg.maxCount()) {
                    progress.step("unit " + unit.name(), i + 1, cfg.maxCount(), String.format("loss %.4f", losses[i]));
                }
            }
        } finally {
            for (LearnableActQuantizer q : dropping) {
                q.setDropProbability(1.0);              // §8.5: prob back to 1 for evaluation
            }
            for (int k = 0; k < bnKeys.size(); k++) {   // learned values, without gradients, owned by the graph
                NDArray fixed = bnParams.get(k).stopGradient().duplicate();
                fixed.attach(g.manager());
                g.assign(bnKeys.get(k), fixed);
            }
        }
        return losses;
    }

    /** One iteration on cached batch {@code k}: forward, loss, backward; returns the loss. */
    private static float step(Graph g, ReconstructionUnit unit, List<Node> nodes, List<NDArray> inputs, List<NDArray> fpInputs,
                              List<NDArray> targets, ReconstructionConfig cfg, int k, NDManager unitScope,
                              UnitRounding rounding, int iteration) {
        try (NDManager step = unitScope.newSubManager()) {
            NDArray x = inputs.get(k);
            NDArray y = targets.get(k);
            step.tempAttachAll(x, y);
            if (cfg.prob() < 1.0) {
                NDArray xf = fpInputs.get(k);
                step.tempAttachAll(xf);
                NDArray u = step.randomUniform(0f, 1f, x.getShape());
                x = ai.djl.ndarray.NDArrays.where(u.lt((float) cfg.prob()), x, xf);
            }
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                Map<String, NDArray> env = new HashMap<>();
                env.put(unit.input(), x);
                g.run(env, nodes);
                NDArray loss = lpLoss(env.get(unit.output()), y);
                NDArray penalty = rounding.penalty(step, iteration);
                if (penalty != null) {
                    loss = loss.add(penalty);
                }
                Engines.backward(gc, loss);
                return loss.getFloat();
            }
        }
    }

    /** {@code CosineAnnealingLR(T_max = total, eta_min = 0)}: the rate of optimiser step {@code i}. */
    static double cosine(double base, int i, int total) {
        return base * (1 + Math.cos(Math.PI * i / total)) / 2;
    }

    /**
     * The unit's own activation quantizers (its output quantizer; for block units also the ones
     * inside the block) that are LSQ quantizers; {@code required} (learnActScale) refuses any other kind.
     */
    static List<LearnableActQuantizer> learnableActivations(QuantizedModel qm, ReconstructionUnit unit, boolean required) {
        List<LearnableActQuantizer> out = new ArrayList<>();
        for (String n : unit.nodes()) {
            if (!qm.isActivationQuantizer(n)) {
                continue;
            }
            FakeQuantizer q = qm.activationQuantizers().get(n);
            if (q instanceof LearnableActQuantizer l) {
                out.add(l);
            } else if (required) {
                throw new Lac4jException("ptq: learn_act_scale needs learnable activation quantizers, but '" + n + "' is " + q
                        + "; set extra_prepare_dict.extra_qconfig_dict.a_fakequantize=LearnableFakeQuantize");
            }
        }
        return out;
    }

    /** Writes each weight's hard value (rne of w + α) back and ends learning (§8.5). */
    public static void harden(QuantizedModel qm, ReconstructionUnit unit) {
        LacRounding.hardenWeights(qm, unit);
        endActivationLearning(qm, unit);
    }

    /** Hardens with the rounding that was learned, then ends activation learning (§8.5). */
    public static void harden(QuantizedModel qm, ReconstructionUnit unit, UnitRounding rounding) {
        rounding.harden();
        endActivationLearning(qm, unit);
    }

    private static void endActivationLearning(QuantizedModel qm, ReconstructionUnit unit) {
        for (LearnableActQuantizer l : learnableActivations(qm, unit, false)) {
            l.endLearning();                            // no-op unless it was learning
        }
    }
}
