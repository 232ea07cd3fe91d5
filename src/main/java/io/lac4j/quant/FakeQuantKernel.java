package io.lac4j.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.function.Function;

/**
 * The fixed fake-quantization kernel (LAC.md §6.6), bit-for-bit equal to {@code
 * torch.fake_quantize_per_tensor_affine} / {@code torch.fake_quantize_per_channel_affine}:
 *
 * <pre>
 *   inv = float32(1 / s);  q = round(x · inv) + z;  x̂ = (clamp(q, qmin, qmax) − z) · s
 * </pre>
 *
 * with the STE-with-clipping-mask gradient {@code ∂x̂/∂x = 1[qmin ≤ q ≤ qmax]}.
 *
 * <p>Memory: like a DJL op, every result belongs to the manager of its first input {@code x};
 * temporaries (broadcast scales, masks) live in a sub-manager that is closed before returning.
 */
public final class FakeQuantKernel {
    private FakeQuantKernel() {}

    /**
     * Fake-quantizes {@code x}; while autograd records, the result carries the STE
     * gradient with clipping mask (no gradient to s or z). Rounding {@link Rounding#HALF_EVEN} is
     * PyTorch's kernel.
     */
    public static NDArray fakeQuantize(NDArray x, QParams qp, int qmin, int qmax, Rounding rounding) {
        return compute(x, scope -> {
            NDArray xd = x.stopGradient();
            NDArray zs = broadcast(scope, zeros(qp), x, qp);
            NDArray q = rounding.round(xd.mul(broadcast(scope, inverse(qp), x, qp))).add(zs);
            NDArray qc = q.clip(qmin, qmax);
            NDArray exact = qc.sub(zs).mul(broadcast(scope, qp.scale(), x, qp));
            if (!recording()) {
                return exact;
            }
            return withGradient(exact, x, unclipped(q, qc));
        });
    }

    /**
     * Whether autograd is recording (inside a GradientCollector). DJL's {@code hasGradient()} only
     * reflects leaves reliably (it reports false for a product of a requires-grad leaf), so the
     * straight-through path is built whenever gradients are being recorded.
     */
    static boolean recording() {
        return ai.djl.pytorch.jni.JniUtils.isGradMode();
    }

    /** The clipping mask {@code 1[qmin ≤ round(x·inv) + z ≤ qmax]} as float32 0/1, in x's manager. */
    public static NDArray clipMask(NDArray x, QParams qp, int qmin, int qmax, Rounding rounding) {
        return compute(x, scope -> {
            NDArray xd = x.stopGradient();
            NDArray q = rounding.round(xd.mul(broadcast(scope, inverse(qp), x, qp))).add(broadcast(scope, zeros(qp), x, qp));
            return inRange(q, qmin, qmax);
        });
    }

    /** The integer levels {@code clamp(round(x·inv) + z, qmin, qmax)} as float32, in x's manager. */
    public static NDArray levels(NDArray x, QParams qp, int qmin, int qmax, Rounding rounding) {
        return compute(x, scope -> {
            NDArray xd = x.stopGradient();
            NDArray q = rounding.round(xd.mul(broadcast(scope, inverse(qp), x, qp))).add(broadcast(scope, zeros(qp), x, qp));
            return q.clip(qmin, qmax);
        });
    }

    /**
     * The forward value only, without gradient, computed with ops whose results land in {@code
     * xd}'s manager; {@code scope} receives the broadcast constants. For observers' candidate
     * searches.
     */
    static NDArray exact(NDManager scope, NDArray xd, QParams qp, int qmin, int qmax) {
        NDArray zs = broadcast(scope, zeros(qp), xd, qp);
        NDArray q = xd.mul(broadcast(scope, inverse(qp), xd, qp)).round().add(zs);
        return q.clip(qmin, qmax).sub(zs).mul(broadcast(scope, qp.scale(), xd, qp));
    }

    /**
     * The squared error {@code (x̂ − x)²} of {@link #exact}, for observers' MSE candidate searches;
     * bit-identical to {@code d = exact(…).sub(xd); d.mul(d)} for every finite {@code xd}, with
     * fewer passes over the data and fewer allocations:
     *
     * <ul>
     *   <li>per tensor, {@code clamp(r + z, qmin, qmax) − z} is computed as {@code clamp(r, qmin − z,
     *       qmax − z)} with {@code r = round(x·inv)}: r is an integer-valued float, so inside the
     *       range {@code r + z} and {@code − z} are exact and give r; above it (r ≥ qmax − z + 1)
     *       monotone rounding gives {@code fl(r + z) ≥ qmax + 1}, so both sides are {@code qmax − z}
     *       (below it likewise {@code qmin − z}); a signed zero can differ, but not once squared;
     *   <li>{@code · s}, {@code − x} and the square run in place on the array this method created.
     * </ul>
     *
     * 7 elementwise passes per candidate instead of 9 per tensor (per channel only the in-place tail
     * changes). {@code MseSearchExactnessTest} checks the identity bit for bit on every candidate.
     */
    static NDArray searchSquaredError(NDManager scope, NDArray xd, QParams qp, int qmin, int qmax) {
        NDArray d;
        if (!qp.perChannel()) {
            int z = qp.zeroPoint()[0];
            NDArray v = xd.mul(broadcast(scope, inverse(qp), xd, qp));
            NDArray r = v.round();
            v.close();
            d = r.clip(qmin - z, qmax - z);
            r.close();
            d.muli(broadcast(scope, qp.scale(), xd, qp));
        } else {
            d = exact(scope, xd, qp, qmin, qmax);
        }
        d.subi(xd);
        return d.muli(d);
    }

    /** {@code 1[q == clamp(q)]} = {@code 1[lo ≤ q ≤ hi]} as float32, reusing the clamped array. */
    static NDArray unclipped(NDArray q, NDArray clamped) {
        return clamped.eq(q).toType(DataType.FLOAT32, false);
    }

    /** {@code 1[lo ≤ q ≤ hi]} as float32. */
    static NDArray inRange(NDArray q, int lo, int hi) {
        return q.gte(lo).logicalAnd(q.lte(hi)).toType(DataType.FLOAT32, false);
    }

    /**
     * {@code exact} in the forward pass (bit for bit), with gradient {@code mask ⊙ upstream} to
     * {@code x}: {@code exact + (x − detach(x)) ⊙ mask}; the second term is exactly 0 for finite x.
     */
    static NDArray withGradient(NDArray exact, NDArray x, NDArray mask) {
        return exact.add(x.sub(x.stopGradient()).mul(mask));
    }

    /** float32 reciprocals {@code 1/s}, as PyTorch's kernels compute them. */
    static float[] inverse(QParams qp) {
        float[] s = qp.scale();
        float[] inv = new float[s.length];
        for (int i = 0; i < s.length; i++) {
            inv[i] = 1.0f / s[i];
        }
        return inv;
    }

    static float[] zeros(QParams qp) {
        int[] z = qp.zeroPoint();
        float[] f = new float[z.length];
        for (int i = 0; i < z.length; i++) {
            f[i] = z[i];
        }
        return f;
    }

    /** Per-tensor: a 0-d float32 array; per-channel: shape [1,…,C,…,1] broadcasting against x. */
    static NDArray broadcast(NDManager scope, float[] values, NDArray x, QParams qp) {
        if (!qp.perChannel()) {
            return owned(scope.create(values[0]));
        }
        return broadcast(scope, values, x.getShape(), qp.axis());
    }

    /**
     * A libtorch-owned copy of a constant. {@code NDManager.create} wraps a Java buffer; autograd
     * keeps operands such as the scale of {@code w / s} for backward, and the Java buffer may be
     * freed once its NDArray is closed — a clone's storage belongs to libtorch.
     */
    static NDArray owned(NDArray javaBacked) {
        NDArray copy = javaBacked.duplicate();
        javaBacked.close();
        return copy;
    }

    static NDArray broadcast(NDManager scope, float[] values, Shape xShape, int axis) {
        int dims = xShape.dimension();
        if (axis >= dims || xShape.get(axis) != values.length) {
            throw new IllegalArgumentException("per-channel quantization: expected " + values.length
                    + " channels on axis " + axis + ", got shape " + xShape);
        }
        long[] shape = new long[dims];
        java.util.Arrays.fill(shape, 1L);
        shape[axis] = values.length;
        return owned(scope.create(values, new Shape(shape)));
    }

    /**
     * Runs {@code body} in a sub-manager of {@code first}'s manager with {@code first} and {@code
     * borrowed} temporarily attached, so every intermediate is freed on return; the result (which
     * must be a new array) is handed to {@code first}'s manager.
     */
    static NDArray compute(NDArray first, Function<NDManager, NDArray> body, NDArray... borrowed) {
        NDManager home = first.getManager();
        try (NDManager scope = home.newSubManager()) {
            scope.tempAttachAll(first);
            for (NDArray b : borrowed) {
                if (b != null && b != first) {
                    scope.tempAttachAll(b);
                }
            }
            NDArray out = body.apply(scope);
            out.attach(home);
            return out;
        }
    }
}
