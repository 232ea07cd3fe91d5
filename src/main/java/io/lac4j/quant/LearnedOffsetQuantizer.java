package io.lac4j.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * LAC's weight fake quantizer with a learned additive offset α (the LAC fork's {@code
 * AdaRoundFakeQuantize}, LAC.md §6.7). Outside learning it is plain per-channel {@code FQ} with the
 * calibrated (s, z). While learning ({@link #initLearning}):
 *
 * <pre>
 *   v = (w + α) / s_c   (true division);   q = floor(v + 0.5)   (STE: ∂q/∂v = 1)
 *   ŵ = (clamp(q + z_c, qmin, qmax) − z_c) · s_c
 * </pre>
 *
 * with gradient to α (and w) only where {@code qmin ≤ q + z_c ≤ qmax}. The hard value uses rne
 * instead of rhu (LAC.md Q6). Scale and zero point never change after calibration.
 *
 * <p>Ownership: α is created in the manager passed to {@link #initLearning} (the unit's scope) and
 * freed with it; {@link #endLearning} only drops the reference.
 */
public final class LearnedOffsetQuantizer extends FakeQuantizer {
    private NDArray alpha;

    public LearnedOffsetQuantizer(QScheme scheme, Observer observer) {
        super(QuantizerRole.WEIGHT, scheme, observer);
    }

    public LearnedOffsetQuantizer(QScheme scheme, Observer.Kind kind) {
        this(scheme, Observer.create(kind, scheme));
    }

    /**
     * Starts learning (MQBench {@code init}): observer off, fake quant on, α = 0 (float32, shape of
     * the weight, requires gradient) created in {@code manager}.
     */
    public NDArray initLearning(NDManager manager, Shape weightShape) {
        setState(false, true);
        alpha = manager.zeros(weightShape);
        alpha.setRequiresGradient(true);
        return alpha;
    }

    /** Same as {@link #initLearning(NDManager, Shape)} with the weight's shape. */
    public NDArray initLearning(NDManager manager, NDArray weight) {
        return initLearning(manager, weight.getShape());
    }

    /** True between {@link #initLearning} and {@link #endLearning} ("adaround" flag). */
    public boolean learning() {
        return alpha != null;
    }

    /** α while learning, else null. */
    public NDArray alpha() {
        return alpha;
    }

    /** The parameters an optimiser updates: [α] while learning, else empty. */
    public List<NDArray> trainables() {
        return alpha == null ? List.of() : List.of(alpha);
    }

    /** Back to plain {@code FQ} (after hardening); α stays owned by its manager. */
    public void endLearning() {
        alpha = null;
    }

    @Override
    NDArray quantize(NDArray w) {
        QParams qp = qparams();
        int qmin = scheme().qmin();
        int qmax = scheme().qmax();
        if (alpha == null) {
            return FakeQuantKernel.fakeQuantize(w, qp, qmin, qmax, scheme().rounding());
        }
        return FakeQuantKernel.compute(w, scope -> {
            NDArray s = FakeQuantKernel.broadcast(scope, qp.scale(), w, qp);
            NDArray z = FakeQuantKernel.broadcast(scope, FakeQuantKernel.zeros(qp), w, qp);
            NDArray v = w.add(alpha).div(s);
            NDArray qz = v.stopGradient().add(0.5f).floor().add(z);
            NDArray qc = qz.clip(qmin, qmax);
            NDArray exact = qc.sub(z).mul(s);
            NDArray mask = FakeQuantKernel.unclipped(qz, qc);
            // same backward chain as autograd of the reference: (G·s)·mask / s
            return exact.add(v.sub(v.stopGradient()).mul(mask).mul(s));
        }, alpha);
    }

    /**
     * {@code ŵ_hard = (clamp(rne((w + α)/s) + z, qmin, qmax) − z)·s} while learning (no gradient),
     * plain nearest {@code FQ} otherwise; result in w's manager.
     */
    @Override
    public NDArray hardValue(NDArray w) {
        if (alpha == null) {
            return super.hardValue(w);
        }
        QParams qp = qparams();
        return FakeQuantKernel.compute(w, scope -> {
            NDArray s = FakeQuantKernel.broadcast(scope, qp.scale(), w, qp);
            NDArray z = FakeQuantKernel.broadcast(scope, FakeQuantKernel.zeros(qp), w, qp);
            NDArray q = w.stopGradient().add(alpha.stopGradient()).div(s).round().add(z);
            return q.clip(scheme().qmin(), scheme().qmax()).sub(z).mul(s);
        }, alpha);
    }
}
