package io.lac4j.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-tensor activation quantizer with a learnable scale (LSQ) and optionally a learnable zero
 * point (LSQ+), MQBench {@code LearnableFakeQuantize}; forward and gradients equal {@code
 * torch._fake_quantize_learnable_per_tensor_affine(x, s, z, qmin, qmax, grad_factor)}:
 *
 * <ul>
 *   <li>forward: fixed {@code FQ} with s and {@code z_f = clamp(rne(z))} (bit-exact);
 *   <li>backward, with {@code z_b = trunc(clamp(z + 0.5))} and {@code xq = rne(z_b + x·(1/s))}: ∂x =
 *       1[qmin ≤ xq ≤ qmax]; ∂s = (x̂ − x)/s inside, (qmin − z_b) below, (qmax − z_b) above; ∂z =
 *       −s outside, 0 inside; ∂s and ∂z are multiplied by {@code grad_factor} (1, or {@code
 *       1/sqrt(numel·qmax)} with {@code gradScaling}).
 * </ul>
 *
 * Before {@link #initLearning} it behaves exactly like {@link FixedFakeQuantizer}. A QDrop
 * probability {@code p < 1} mixes element-wise {@code where(U < p, x̂, x)} (MQBench {@code
 * QDropFakeQuantize}). Faithful LAC does not use this class (LAC.md §8.6, Q1): it is the {@code
 * learnActScale} option.
 *
 * <p>Ownership: s and z are created in the manager passed to {@link #initLearning}.
 */
public final class LearnableActQuantizer extends FakeQuantizer {
    private final boolean learnZeroPoint;
    private final boolean gradScaling;
    private double dropProbability = 1.0;
    private NDArray scale;
    private NDArray zeroPoint;

    /**
     * @param learnZeroPoint LSQ+ (true) or LSQ with a fixed zero point (false)
     * @param gradScaling MQBench {@code use_grad_scaling}: grad_factor = 1/sqrt(numel·qmax)
     */
    public LearnableActQuantizer(QScheme scheme, Observer observer, boolean learnZeroPoint, boolean gradScaling) {
        super(QuantizerRole.ACTIVATION, scheme, observer);
        if (scheme.perChannel()) {
            throw new IllegalArgumentException("LearnableActQuantizer: expected a per-tensor scheme, got " + scheme);
        }
        this.learnZeroPoint = learnZeroPoint && !scheme.symmetric();
        this.gradScaling = gradScaling;
    }

    /**
     * Creates s = [scale] and z = [zero point] (float32, shape [1]) from the current qparams in
     * {@code manager}, with gradients (z only for LSQ+); observer off, fake quant on.
     */
    public List<NDArray> initLearning(NDManager manager) {
        setState(false, true);
        QParams qp = qparams();
        scale = manager.create(new float[] {qp.scale(0)});
        scale.setRequiresGradient(true);
        zeroPoint = manager.create(new float[] {qp.zeroPoint(0)});
        if (learnZeroPoint) {
            zeroPoint.setRequiresGradient(true);
        }
        return trainables();
    }

    /** MQBench copies freshly observed (s, z) into the learnable arrays too. */
    @Override
    void onObserved(QParams qp) {
        super.onObserved(qp);
        if (scale != null) {
            scale.set(new float[] {qp.scale(0)});
            zeroPoint.set(new float[] {qp.zeroPoint(0)});
        }
    }

    public boolean learning() {
        return scale != null;
    }

    /** [s] (LSQ) or [s, z] (LSQ+) while learning, else empty. */
    public List<NDArray> trainables() {
        List<NDArray> out = new ArrayList<>();
        if (scale != null) {
            out.add(scale);
            if (learnZeroPoint) {
                out.add(zeroPoint);
            }
        }
        return out;
    }

    /** Freezes the learned values into {@link #qparams()} (rne of z) and drops the arrays. */
    public void endLearning() {
        if (scale != null) {
            setQParams(QParams.perTensor(currentScale(), forwardZeroPoint(zeroPoint.getFloat())));
        }
        scale = null;
        zeroPoint = null;
    }

    public NDArray scaleArray() {
        return scale;
    }

    public NDArray zeroPointArray() {
        return zeroPoint;
    }

    /** QDrop: probability of keeping the quantized value per element (1 = always, the default). */
    public void setDropProbability(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("prob: expected in [0, 1], got " + p);
        }
        this.dropProbability = p;
    }

    public double dropProbability() {
        return dropProbability;
    }

    /** {@code grad_factor} for a tensor of {@code numel} elements. */
    public double gradFactor(long numel) {
        return gradScaling ? 1.0 / Math.sqrt((double) numel * scheme().qmax()) : 1.0;
    }

    /**
     * Quantizes (if quantizing) and mixes with {@code x} using the supplied uniform draws:
     * {@code where(uniform < p, x̂, x)}. Observation is not done here.
     */
    public NDArray applyWithDrop(NDArray x, NDArray uniform) {
        if (!quantizing() || !scheme().enabled()) {
            return x;
        }
        return FakeQuantKernel.compute(x, scope -> {
            NDArray xq = quantizeOnly(x); // lands in scope: x is temp-attached to it
            return NDArrays.where(uniform.lt((float) dropProbability), xq, x);
        }, uniform);
    }

    @Override
    NDArray quantize(NDArray x) {
        if (dropProbability >= 1.0) {
            return quantizeOnly(x);
        }
        try (NDManager scope = x.getManager().newSubManager()) {
            NDArray u = scope.randomUniform(0f, 1f, x.getShape());
            return applyWithDrop(x, u);
        }
    }

    private float currentScale() {
        float s = scale.getFloat();
        float fixed = Math.max(Math.abs(s), QParams.EPS);
        if (fixed != s) { // MQBench: scale.data.abs_().clamp_(min=eps) when not observing
            scale.set(new float[] {fixed});
        }
        return fixed;
    }

    private int forwardZeroPoint(float z) {
        if (scheme().symmetric()) {
            return 0;
        }
        float r = (float) Math.rint(z);
        return (int) Math.min(Math.max(r, scheme().qmin()), scheme().qmax());
    }

    private int backwardZeroPoint(float z) {
        if (scheme().symmetric()) {
            return 0;
        }
        float r = z + 0.5f;
        return (int) Math.min(Math.max(r, scheme().qmin()), scheme().qmax());
    }

    private NDArray quantizeOnly(NDArray x) {
        int qmin = scheme().qmin();
        int qmax = scheme().qmax();
        if (scale == null) {
            return FakeQuantKernel.fakeQuantize(x, qparams(), qmin, qmax, scheme().rounding());
        }
        float s = currentScale();
        float zRaw = zeroPoint.getFloat();
        float zClamped = scheme().symmetric() ? 0f : Math.min(Math.max(zRaw, qmin), qmax);
        if (zClamped != zRaw) { // MQBench clamps (asym) or zeroes (sym) the zero point in place
            zeroPoint.set(new float[] {zClamped});
        }
        int zf = forwardZeroPoint(zClamped);
        int zb = backwardZeroPoint(zClamped);
        float inv = 1.0f / s;
        float gf = (float) gradFactor(x.size());
        return FakeQuantKernel.compute(x, scope -> {
            NDArray xd = x.stopGradient();
            NDArray exact = xd.mul(inv).round().add((float) zf).clip(qmin, qmax).sub((float) zf).mul(s);
            // PyTorch's backward kernel rounds after adding z: rne(z_b + x·inv) (differs at ties)
            NDArray xq = xd.mul(inv).add((float) zb).round();
            NDArray inside = FakeQuantKernel.inRange(xq, qmin, qmax);
            NDArray below = xq.lt((float) qmin).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
            NDArray above = xq.gt((float) qmax).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
            NDArray xfq = xq.clip(qmin, qmax).sub((float) zb).mul(s);
            NDArray coefS = xfq.sub(xd).mul(inv).mul(inside)
                    .add(below.mul((float) (qmin - zb)))
                    .add(above.mul((float) (qmax - zb)))
                    .mul(gf);
            NDArray out = exact.add(x.sub(xd).mul(inside));
            out = out.add(scale.sub(scale.stopGradient()).mul(coefS));
            if (learnZeroPoint) {
                NDArray coefZ = inside.neg().add(1f).mul(-s * gf);
                out = out.add(zeroPoint.sub(zeroPoint.stopGradient()).mul(coefZ));
            }
            return out;
        }, scale, zeroPoint);
    }
}
