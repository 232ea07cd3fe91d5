package io.lac4j.quant;

import ai.djl.ndarray.NDArray;

/**
 * A fake quantizer: owns an observer and two switches, {@code observe} and {@code quantize}
 * (MQBench {@code QuantizeBase}, STYLE M3, LAC.md §6.5). Each variant is its own class.
 *
 * <p>How a layer uses it: a weight layer calls {@code wq.apply(weight)} every forward and feeds the
 * result to conv/linear; an activation quantizer sits on the node feeding a conv/linear and the
 * graph calls {@code aq.apply(activation)}. {@link #apply} observes first (if enabled, on a
 * detached copy; (s, z) are refreshed right away), then quantizes (if enabled) or returns the input
 * itself unchanged (the same object).
 *
 * <p>Memory: {@code apply}'s result belongs to the manager of its input, like a DJL op (so a weight
 * in the model's manager must be temp-attached to the step's manager by the caller, STYLE §6.4);
 * intermediates are freed before returning. Quantizers hold no NDArray except the trainables that
 * the caller asked for ({@code initLearning(manager, …)}), which live in the caller's manager.
 */
public abstract sealed class FakeQuantizer
        permits FixedFakeQuantizer, LearnedOffsetQuantizer, AdaRoundQuantizer, LearnableActQuantizer,
                QuAntiZationQuantizer {

    private final QuantizerRole role;
    private final QScheme scheme;
    private final Observer observer;
    private boolean observing;
    private boolean quantizing;
    private QParams qparams;

    /**
     * @param observer the range estimator, or null for quantizers that estimate their range from
     *     every tensor themselves (Qu-ANTI-zation)
     */
    FakeQuantizer(QuantizerRole role, QScheme scheme, Observer observer) {
        if (role == null || scheme == null) {
            throw new IllegalArgumentException("role and scheme must be set");
        }
        if (observer != null && !observer.scheme().equals(scheme)) {
            throw new IllegalArgumentException("observer scheme " + observer.scheme() + " differs from " + scheme);
        }
        this.role = role;
        this.scheme = scheme;
        this.observer = observer;
        this.qparams = QParams.unobserved();
    }

    public final QuantizerRole role() {
        return role;
    }

    public final QScheme scheme() {
        return scheme;
    }

    /** The observer, or null for self-ranging quantizers. */
    public final Observer observer() {
        return observer;
    }

    /** MQBench {@code observer_enabled} / {@code fake_quant_enabled}. */
    public void setState(boolean observe, boolean quantize) {
        this.observing = observe;
        this.quantizing = quantize;
    }

    public final boolean observing() {
        return observing;
    }

    public final boolean quantizing() {
        return quantizing;
    }

    /** The current (scale, zero point); {@link QParams#unobserved()} before calibration. */
    public QParams qparams() {
        return qparams;
    }

    /** Sets (s, z) directly (e.g. restored from a checkpoint's buffers). */
    public void setQParams(QParams qp) {
        if (scheme.perChannel() != qp.perChannel()) {
            throw new IllegalArgumentException("qparams granularity does not match " + scheme + ": " + qp);
        }
        this.qparams = qp;
    }

    /**
     * Observes {@code x} if observing (refreshing (s, z)), then returns its fake-quantized value if
     * quantizing, else {@code x} itself. A scheme with bits 16/32 never quantizes.
     */
    public final NDArray apply(NDArray x) {
        if (observing && observer != null) {
            observer.observe(x);
            onObserved(observer.qparams());
        }
        if (!quantizing || !scheme.enabled()) {
            return x;
        }
        return quantize(x);
    }

    /** Stores freshly observed qparams (learnable quantizers also copy them into their arrays). */
    void onObserved(QParams qp) {
        this.qparams = qp;
    }

    /** The quantized value of {@code x} (soft value while learning), in x's manager. */
    abstract NDArray quantize(NDArray x);

    /**
     * The value hardening writes back (no gradient): plain nearest {@code FQ} with the current (s,
     * z) unless a variant overrides it; result in w's manager.
     */
    public NDArray hardValue(NDArray w) {
        return FakeQuantKernel.compute(w, scope -> FakeQuantKernel.fakeQuantize(w.stopGradient(), qparams,
                scheme.qmin(), scheme.qmax(), scheme.rounding()));
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + role + ", " + scheme + ", observe=" + observing
                + ", quantize=" + quantizing + ", " + qparams + "]";
    }
}
