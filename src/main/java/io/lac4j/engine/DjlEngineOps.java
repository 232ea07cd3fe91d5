package io.lac4j.engine;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.util.function.Function;

/** {@link EngineOps} through DJL's PyTorch engine, calling the same native ops as lac4j's layers (nn package). */
final class DjlEngineOps implements EngineOps {
    private final Engine engine;

    DjlEngineOps(Engine engine) {
        this.engine = engine;
    }

    @Override
    public float[][] conv2d(ReferenceOps.Conv g, float[] x, float[] w, float[] b, float[] dy) {
        Shape xs = new Shape(g.n(), g.c(), g.h(), g.w());
        Shape ws = new Shape(g.oc(), g.icPerGroup(), g.k(), g.k());
        Shape ys = new Shape(g.n(), g.oc(), g.oh(), g.ow());
        Function<NDArray[], NDArray> conv = in -> in[0].getNDArrayInternal()
                .convolution(in[0], in[1], in[2], new Shape(g.stride(), g.stride()), new Shape(g.pad(), g.pad()),
                        new Shape(1, 1), g.groups())
                .singletonOrThrow();
        float[][] trained = withGradients(m -> new NDArray[] {m.create(x, xs), m.create(w, ws), m.create(b, new Shape(g.oc()))},
                conv, dy, ys);
        // Evaluation runs without autograd, which may select another primitive (forward_inference).
        try (NDManager m = engine.newBaseManager()) {
            float[] inference = conv.apply(new NDArray[] {m.create(x, xs), m.create(w, ws), m.create(b, new Shape(g.oc()))}).toFloatArray();
            return new float[][] {trained[0], trained[1], trained[2], trained[3], inference};
        }
    }

    @Override
    public float[][] linear(int n, int in, int out, float[] x, float[] w, float[] b, float[] dy) {
        return withGradients(m -> new NDArray[] {m.create(x, new Shape(n, in)), m.create(w, new Shape(out, in)), m.create(b, new Shape(out))},
                a -> a[0].getNDArrayInternal().linear(a[0], a[1], a[2]).singletonOrThrow(), dy, new Shape(n, out));
    }

    @Override
    public float[][] pool2d(ReferenceOps.Conv g, boolean max, float[] x, float[] dy) {
        Shape k = new Shape(g.k(), g.k()), s = new Shape(g.stride(), g.stride()), p = new Shape(g.pad(), g.pad());
        return withGradients(m -> new NDArray[] {m.create(x, new Shape(g.n(), g.c(), g.h(), g.w()))},
                a -> max ? a[0].getNDArrayInternal().maxPool(k, s, p, false) : a[0].getNDArrayInternal().avgPool(k, s, p, false, true),
                dy, new Shape(g.n(), g.c(), g.oh(), g.ow()));
    }

    @Override
    public float[][] adaptiveAvgPool1(int n, int c, int hw, float[] x, float[] dy) {
        return withGradients(m -> new NDArray[] {m.create(x, new Shape(n, c, hw, hw))},
                a -> JniUtils.adaptiveAvgPool((PtNDArray) a[0], new Shape(1, 1)), dy, new Shape(n, c, 1, 1));
    }

    @Override
    public float[][] batchNormTrain(int n, int c, int hw, float[] x, float[] gamma, float[] beta, float eps, float[] dy) {
        return withGradients(m -> new NDArray[] {m.create(x, new Shape(n, c, hw)), m.create(gamma), m.create(beta)},
                a -> {
                    NDManager m = a[0].getManager();
                    NDArray mean = m.zeros(new Shape(c)), var = m.ones(new Shape(c));
                    return a[0].getNDArrayInternal().batchNorm(a[0], mean, var, a[1], a[2], -1, 0.9f, eps, true).singletonOrThrow();
                }, dy, new Shape(n, c, hw));
    }

    @Override
    public float[] batchNormEval(int n, int c, int hw, float[] x, float[] mean, float[] var, float[] gamma, float[] beta, float eps) {
        try (NDManager m = engine.newBaseManager()) {
            NDArray xa = m.create(x, new Shape(n, c, hw));
            return xa.getNDArrayInternal()
                    .batchNorm(xa, m.create(mean), m.create(var), m.create(gamma), m.create(beta), -1, 0.9f, eps, false)
                    .singletonOrThrow()
                    .toFloatArray();
        }
    }

    /**
     * Runs {@code op} on fresh leaf tensors and back-propagates {@code sum(y * dy)}: returns y and
     * the gradient of every input in order. dy is a tensor (never a Java scalar) so autograd keeps
     * only libtorch-owned memory.
     */
    private float[][] withGradients(Function<NDManager, NDArray[]> inputs, Function<NDArray[], NDArray> op, float[] dy, Shape yShape) {
        try (NDManager m = engine.newBaseManager()) {
            NDArray[] in = inputs.apply(m);
            for (NDArray a : in) {
                a.setRequiresGradient(true);
            }
            NDArray up = m.create(dy, yShape);
            float[][] out = new float[in.length + 1][];
            try (GradientCollector gc = engine.newGradientCollector()) {
                NDArray y = op.apply(in);
                out[0] = y.toFloatArray();
                Engines.backward(gc, y.mul(up).sum());
            }
            for (int i = 0; i < in.length; i++) {
                out[i + 1] = in[i].getGradient().toFloatArray();
            }
            return out;
        }
    }
}
