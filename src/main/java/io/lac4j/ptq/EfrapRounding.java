package io.lac4j.ptq;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.lac4j.Lac4jException;
import io.lac4j.engine.Engines;
import io.lac4j.quant.AdaRoundQuantizer;
import io.lac4j.quant.FakeQuantizer;
import io.lac4j.quant.QuantizedModel;
import java.util.ArrayList;
import java.util.List;

/**
 * EFRAP's rounding (ATTACKS.md §4.2–4.3): AdaRound variables V with {@code h(V) = frac(w/s)} at
 * start, the flip targets {@code r̄ = 1 − round(frac(w/s))} and weights ω computed once from the FP
 * weight, penalty {@code λ_F·Σ ω·BCE(h, r̄) + λ_P·Σ (1 − |2h − 1|^β)}, hard rounding {@code 1[V ≥ 0]}.
 * With {@code λ_F = 0} and an annealed β it is plain AdaRound.
 */
public final class EfrapRounding implements WeightRounding {
    /** BCE's ε inside the logs, as in the released code. */
    static final float BCE_EPS = 1e-8f;

    private final EfrapConfig cfg;
    private final String name;

    public EfrapRounding(EfrapConfig cfg, String name) {
        this.cfg = cfg;
        this.name = name;
    }

    public EfrapRounding(EfrapConfig cfg) {
        this(cfg, cfg.lambdaFlip() > 0 ? "efrap" : "adaround");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Unit begin(QuantizedModel qm, ReconstructionUnit unit, NDManager unitScope) {
        List<AdaRoundQuantizer> qs = new ArrayList<>();
        List<NDArray> vs = new ArrayList<>();
        List<NDArray> flips = new ArrayList<>();
        List<NDArray> omegas = new ArrayList<>();
        for (String node : unit.weighted()) {
            AdaRoundQuantizer q = quantizer(qm, node);
            NDArray w = qm.graph().node(node).weighted().weight();
            try (NDManager tmp = unitScope.newSubManager()) {
                tmp.tempAttachAll(w);
                // before initLearning: hardValue is still nearest FQ with the calibrated (s, z)
                NDArray err = w.stopGradient().sub(q.hardValue(w));
                NDArray omega = cfg.weighting() == FlipWeighting.ELEMENT ? err.abs() : neuronNorm(err);
                // torch.round(frac) is 1 only above one half (0.5 rounds to even, 0), so r̄ = 1[frac ≤ 0.5]
                NDArray flip = q.fraction(w).lte(0.5f).toType(DataType.FLOAT32, false);
                omega.attach(unitScope);
                flip.attach(unitScope);
                omegas.add(omega);
                flips.add(flip);
            }
            vs.add(q.initLearning(unitScope, w));
            qs.add(q);
        }
        return new Unit(qm, unit, qs, vs, flips, omegas);
    }

    /** ‖e_k‖₂ over every weight of output channel k, repeated over that channel's weights. */
    private static NDArray neuronNorm(NDArray err) {
        Shape shape = err.getShape();
        long[] keep = new long[shape.dimension()];
        java.util.Arrays.fill(keep, 1L);
        keep[0] = shape.get(0);
        NDArray flat = err.reshape(shape.get(0), -1);
        NDArray norm = flat.mul(flat).sum(new int[] {1}).sqrt().reshape(new Shape(keep));
        return norm.broadcast(shape).duplicate();
    }

    private static AdaRoundQuantizer quantizer(QuantizedModel qm, String node) {
        FakeQuantizer q = qm.weightQuantizers().get(node);
        if (q instanceof AdaRoundQuantizer a) {
            return a;
        }
        throw new Lac4jException("ptq: unit node '" + node + "' has weight quantizer " + q
                + "; EFRAP needs w_fakequantize: EfrapAdaRoundFakeQuantize (AdaRound with γ = 0, ζ = 1)");
    }

    /** One unit's EFRAP state: V, r̄ and ω per weighted layer (all in the unit's scope). */
    public final class Unit implements UnitRounding {
        private final QuantizedModel qm;
        private final ReconstructionUnit unit;
        private final List<AdaRoundQuantizer> quantizers;
        private final List<NDArray> vs;
        private final List<NDArray> flips;
        private final List<NDArray> omegas;

        private Unit(QuantizedModel qm, ReconstructionUnit unit, List<AdaRoundQuantizer> quantizers, List<NDArray> vs,
                     List<NDArray> flips, List<NDArray> omegas) {
            this.qm = qm;
            this.unit = unit;
            this.quantizers = quantizers;
            this.vs = vs;
            this.flips = flips;
            this.omegas = omegas;
        }

        @Override
        public List<NDArray> trainables() {
            return vs;
        }

        /** r̄ of each weighted layer (1 where nearest rounding goes down, so the target is up). */
        public List<NDArray> flipTargets() {
            return flips;
        }

        /** ω of each weighted layer. */
        public List<NDArray> flipWeights() {
            return omegas;
        }

        @Override
        public NDArray penalty(NDManager step, int iteration) {
            NDArray total = null;
            if (cfg.lambdaFlip() > 0) {
                total = flipLoss(step).mul(Engines.scalar(step, cfg.lambdaFlip()));
            }
            double beta = cfg.betaAt(iteration);
            if (cfg.lambdaRound() > 0 && !Double.isNaN(beta)) {
                NDArray r = roundingLoss(step, beta).mul(Engines.scalar(step, cfg.lambdaRound()));
                total = total == null ? r : total.add(r);
            }
            return total;
        }

        /** {@code L_F = Σ ω·BCE(h(V), r̄)} over the unit's weights, with gradient, in {@code step}. */
        public NDArray flipLoss(NDManager step) {
            NDArray total = null;
            NDArray eps = Engines.scalar(step, BCE_EPS);
            NDArray one = Engines.scalar(step, 1);
            for (int k = 0; k < quantizers.size(); k++) {
                NDArray h = quantizers.get(k).rectifiedSigmoid(step);
                step.tempAttachAll(flips.get(k), omegas.get(k));
                NDArray r = flips.get(k);
                NDArray logUp = h.add(eps).log();
                NDArray logDown = one.sub(h).add(eps).log();
                // −[r̄·log(h + ε) + (1 − r̄)·log(1 − h + ε)], r̄ first as in the released code
                NDArray bce = r.mul(logUp).add(one.sub(r).mul(logDown)).neg();
                NDArray term = omegas.get(k).mul(bce).sum();
                total = total == null ? term : total.add(term);
            }
            return total;
        }

        /** {@code L_P = Σ (1 − |2h(V) − 1|^β)} over the unit's weights, with gradient, in {@code step}. */
        public NDArray roundingLoss(NDManager step, double beta) {
            NDArray total = null;
            for (AdaRoundQuantizer q : quantizers) {
                NDArray term = q.regularizer(step, beta);
                total = total == null ? term : total.add(term);
            }
            return total;
        }

        @Override
        public void harden() {
            for (int k = 0; k < quantizers.size(); k++) {
                AdaRoundQuantizer q = quantizers.get(k);
                LacRounding.writeBack(qm, unit.weighted().get(k), q);   // s·(clamp(floor(w/s) + 1[V ≥ 0] + z) − z)
                q.endLearning();
                q.setState(false, true);
            }
        }
    }
}
