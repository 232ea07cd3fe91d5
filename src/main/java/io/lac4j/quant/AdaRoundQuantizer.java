package io.lac4j.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import io.lac4j.engine.Engines;
import java.util.List;

/**
 * Upstream AdaRound learned rounding (MQBench {@code adaround_quantizer.py}; EFRAP, ATTACKS.md
 * §4.2): {@code ŵ = s·(clamp(floor(w/s) + h(V) + z, qmin, qmax) − z)} with the rectified sigmoid
 * {@code h(V) = clamp(σ(V)(ζ − γ) + γ, 0, 1)}. {@link #initLearning} sets V so that h(V) equals the
 * fractional part of {@code w/s}; the hard value is {@code floor(w/s) + 1[V ≥ 0]}; {@link
 * #regularizer} is AdaRound's {@code Σ 1 − |2h − 1|^β}. Outside learning it is plain nearest FQ.
 *
 * <p>Ownership: V lives in the manager passed to {@link #initLearning}.
 */
public final class AdaRoundQuantizer extends FakeQuantizer {
    /** AdaRound's stretch γ = −0.1, ζ = 1.1 (upstream default). */
    public static final double[] UPSTREAM = {-0.1, 1.1};
    /** EFRAP's released code: γ = 0, ζ = 1 (plain sigmoid). */
    public static final double[] EFRAP = {0.0, 1.0};
    /** With γ = 0, ζ = 1 the fractional part is clamped into [δ, 1 − δ] so V stays finite. */
    public static final float FRAC_DELTA = 1e-6f;

    private final double gamma;
    private final double zeta;
    private NDArray v;

    public AdaRoundQuantizer(QScheme scheme, Observer observer, double gamma, double zeta) {
        super(QuantizerRole.WEIGHT, scheme, observer);
        if (!(gamma <= 0 && zeta >= 1)) {
            throw new IllegalArgumentException("adaround: expected gamma <= 0 and zeta >= 1, got " + gamma + ", " + zeta);
        }
        this.gamma = gamma;
        this.zeta = zeta;
    }

    /** Upstream γ = −0.1, ζ = 1.1. */
    public AdaRoundQuantizer(QScheme scheme, Observer observer) {
        this(scheme, observer, UPSTREAM[0], UPSTREAM[1]);
    }

    public double gamma() {
        return gamma;
    }

    public double zeta() {
        return zeta;
    }

    /**
     * Observer off, fake quant on; V = −log((ζ − γ)/(frac(w/s) − γ) − 1) created in {@code
     * manager} with a gradient (EFRAP: frac clamped into [δ, 1 − δ]).
     */
    public NDArray initLearning(NDManager manager, NDArray w) {
        setState(false, true);
        QParams qp = qparams();
        try (NDManager scope = manager.newSubManager()) {
            scope.tempAttachAll(w);
            NDArray xs = w.stopGradient().div(FakeQuantKernel.broadcast(scope, qp.scale(), w, qp));
            NDArray rest = xs.sub(xs.floor());
            if (gamma == 0.0) {
                rest = rest.clip(FRAC_DELTA, 1f - FRAC_DELTA);
            }
            NDArray d = rest.sub((float) gamma);
            NDArray recip = scope.create(1f).div(d); // Python's scalar / tensor = reciprocal() * scalar
            NDArray out = recip.mul((float) (zeta - gamma)).sub(1f).log().neg();
            out.attach(manager);
            v = out;
        }
        v.setRequiresGradient(true);
        return v;
    }

    /**
     * {@code frac(w/s) = w/s − floor(w/s)} with the calibrated scale, unclamped and without
     * gradient (EFRAP's nearest-rounding indicator is {@code round(frac)}), in w's manager.
     */
    public NDArray fraction(NDArray w) {
        QParams qp = qparams();
        return FakeQuantKernel.compute(w, scope -> {
            NDArray xs = w.stopGradient().div(FakeQuantKernel.broadcast(scope, qp.scale(), w, qp));
            return xs.sub(xs.floor());
        });
    }

    public boolean learning() {
        return v != null;
    }

    /** V while learning, else null. */
    public NDArray v() {
        return v;
    }

    public List<NDArray> trainables() {
        return v == null ? List.of() : List.of(v);
    }

    public void endLearning() {
        v = null;
    }

    /** h(V) = clamp(σ(V)(ζ − γ) + γ, 0, 1) with gradient, in {@code manager}. */
    public NDArray rectifiedSigmoid(NDManager manager) {
        requireLearning();
        try (NDManager scope = manager.newSubManager()) {
            scope.tempAttachAll(v);
            return scope.ret(h(v));
        }
    }

    /**
     * The stretch and shift are libtorch-owned 0-d tensors, not Java numbers: DJL's {@code
     * mul(Number)} wraps a Java buffer (from_blob) that autograd keeps for backward after DJL has
     * freed it (see {@link FakeQuantKernel#owned}). Result in {@code vv}'s manager's scope.
     */
    private NDArray h(NDArray vv) {
        NDManager m = vv.getManager();
        NDArray stretched = Activation.sigmoid(vv).mul(Engines.scalar(m, zeta - gamma));
        return stretched.add(Engines.scalar(m, gamma)).clip(0, 1);
    }


    /** AdaRound's rounding regulariser {@code Σ (1 − (|h − 0.5|·2)^β)} (unweighted), in {@code manager}. */
    public NDArray regularizer(NDManager manager, double beta) {
        requireLearning();
        try (NDManager scope = manager.newSubManager()) {
            scope.tempAttachAll(v);
            NDArray hv = h(v);
            // 2 and β as tensors, for the same reason as in h: both are kept for backward
            NDArray p = hv.sub(Engines.scalar(scope, 0.5)).abs().mul(Engines.scalar(scope, 2)).pow(Engines.scalar(scope, beta));
            return scope.ret(Engines.scalar(scope, 1).sub(p).sum());
        }
    }

    @Override
    NDArray quantize(NDArray w) {
        QParams qp = qparams();
        if (v == null) {
            return FakeQuantKernel.fakeQuantize(w, qp, scheme().qmin(), scheme().qmax(), scheme().rounding());
        }
        return FakeQuantKernel.compute(w, scope -> {
            NDArray s = FakeQuantKernel.broadcast(scope, qp.scale(), w, qp);
            NDArray z = FakeQuantKernel.broadcast(scope, FakeQuantKernel.zeros(qp), w, qp);
            NDArray x = w.stopGradient().div(s).floor().add(h(v)).add(z);
            return x.clip(scheme().qmin(), scheme().qmax()).sub(z).mul(s);
        }, v);
    }

    /** {@code s·(clamp(floor(w/s) + 1[V ≥ 0] + z) − z)} while learning, else nearest FQ. */
    @Override
    public NDArray hardValue(NDArray w) {
        if (v == null) {
            return super.hardValue(w);
        }
        QParams qp = qparams();
        return FakeQuantKernel.compute(w, scope -> {
            NDArray s = FakeQuantKernel.broadcast(scope, qp.scale(), w, qp);
            NDArray z = FakeQuantKernel.broadcast(scope, FakeQuantKernel.zeros(qp), w, qp);
            NDArray up = v.stopGradient().gte(0f).toType(DataType.FLOAT32, false);
            NDArray x = w.stopGradient().div(s).floor().add(up).add(z);
            return x.clip(scheme().qmin(), scheme().qmax()).sub(z).mul(s);
        }, v);
    }

    private void requireLearning() {
        if (v == null) {
            throw new IllegalStateException("AdaRoundQuantizer: initLearning was not called");
        }
    }
}
