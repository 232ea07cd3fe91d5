package io.lac4j.engine;

import io.lac4j.engine.ReferenceOps.Conv;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Known-answer tests of the native operations lac4j depends on, against {@link ReferenceOps}:
 * convolution forward, backward-data and backward-weights over the shapes lac4j's models use
 * (one input channel, RGB stride-2 stems, 7×7 and 11×11 stems, ResNet bodies and downsamples,
 * 1×1, grouped, depthwise, channel counts off the SIMD block widths), linear, max / average / adaptive pooling, and batch norm in training
 * and eval mode. A few milliseconds in all; every case runs {@link #REPEATS} times because a bad
 * kernel need not be wrong every time (oneDNN 3.7.1's fault on AMD was right in about one run of eight).
 *
 * <p>Tolerance follows float32 summation order, not any machine's kernels: element i passes when
 * {@code |got - ref| <= 1e-4 * bound_i + 1e-6}, where {@code bound_i} is the sum of absolute terms
 * that make it up (the reference run on absolute inputs) — a reordered float32 sum of at most a few
 * hundred terms is off by far less (n·2^-24·bound). A wrong kernel is off by the size of the value.
 */
public final class EngineSelfCheck {
    /** Times each case runs. */
    public static final int REPEATS = 3;
    private static final double REL = 1e-4;
    private static final double ABS = 1e-6;

    /** The outcome: ok, or the first failing operation with what it computed. */
    public record Result(boolean ok, String failure, int checks, double millis) {
        public String summary() {
            return ok ? "ok (" + checks + " checks, " + String.format(java.util.Locale.ROOT, "%.0f", millis) + " ms)" : "FAILED: " + failure;
        }
    }

    private final EngineOps ops;
    private final Random rnd = new Random(20261203L);
    private int checks;

    EngineSelfCheck(EngineOps ops) {
        this.ops = ops;
    }

    /** Runs every case through {@code ops}; stops at the first wrong element. */
    static Result run(EngineOps ops) {
        long t0 = System.nanoTime();
        EngineSelfCheck c = new EngineSelfCheck(ops);
        String failure = null;
        try {
            for (int r = 0; r < REPEATS && failure == null; r++) {
                failure = c.all();
            }
        } catch (RuntimeException e) {
            failure = "the engine threw " + e;
        }
        return new Result(failure == null, failure, c.checks, (System.nanoTime() - t0) / 1e6);
    }

    /** The convolution shapes, each named by what it stands for. */
    static List<Conv> convCases() {
        List<Conv> cs = new ArrayList<>();
        cs.add(new Conv(2, 1, 4, 4, 2, 3, 1, 1, 1));      // ic = 1, padded (Fashion-MNIST stems)
        cs.add(new Conv(2, 1, 7, 7, 8, 3, 2, 1, 1));      // ic = 1, strided
        cs.add(new Conv(2, 3, 8, 8, 4, 3, 2, 1, 1));      // RGB stride-2 stem (CIFAR AlexNet)
        cs.add(new Conv(1, 3, 12, 12, 8, 7, 2, 3, 1));    // 7x7 stem (torchvision ResNet)
        cs.add(new Conv(1, 3, 23, 23, 8, 11, 4, 2, 1));   // 11x11 stem (torchvision AlexNet)
        cs.add(new Conv(2, 16, 6, 6, 16, 3, 1, 1, 1));    // ResNet body
        cs.add(new Conv(2, 16, 8, 8, 32, 3, 2, 1, 1));    // ResNet strided body
        cs.add(new Conv(2, 16, 8, 8, 32, 1, 2, 0, 1));    // 1x1 downsample
        cs.add(new Conv(2, 8, 5, 5, 24, 1, 1, 0, 1));     // 1x1 (bottleneck, MobileNet expansion)
        cs.add(new Conv(2, 8, 6, 6, 8, 3, 1, 1, 2));      // grouped
        cs.add(new Conv(2, 16, 6, 6, 16, 3, 1, 1, 16));   // depthwise
        cs.add(new Conv(2, 16, 7, 7, 16, 3, 2, 1, 16));   // depthwise, strided
        // Channel counts off oneDNN's 8- and 16-wide SIMD blocks run on padded blocked layouts: the
        // AMD fault broke exactly those (docs/engine.md), and an AVX cap broke only them.
        cs.add(new Conv(2, 12, 8, 8, 24, 3, 1, 1, 1));    // CIFAR AlexNet width 4
        cs.add(new Conv(2, 20, 4, 4, 20, 3, 1, 1, 1));    // 20 channels: off both block widths
        cs.add(new Conv(2, 5, 8, 8, 7, 3, 1, 1, 1));      // odd channel counts
        cs.add(new Conv(2, 40, 4, 4, 24, 3, 2, 1, 1));    // strided, 40 -> 24
        return cs;
    }

    private String all() {
        for (Conv g : convCases()) {
            String f = conv(g);
            if (f != null) {
                return f;
            }
        }
        String f = linear(4, 20, 10);
        if (f == null) {
            f = pool(new Conv(2, 3, 6, 6, 3, 2, 2, 0, 1), true, "max pooling 2x2/2");
        }
        if (f == null) {
            f = pool(new Conv(2, 3, 7, 7, 3, 3, 2, 1, 1), true, "max pooling 3x3/2 pad 1");
        }
        if (f == null) {
            f = pool(new Conv(2, 3, 8, 8, 3, 4, 4, 0, 1), false, "average pooling 4x4/4");
        }
        if (f == null) {
            f = adaptive(2, 5, 4);
        }
        if (f == null) {
            f = batchNorm(4, 3, 9);
        }
        return f;
    }

    private String conv(Conv g) {
        float[] x = random(g.n() * g.c() * g.h() * g.w());
        float[] w = random(g.oc() * g.icPerGroup() * g.k() * g.k());
        float[] b = random(g.oc());
        float[] dy = random(g.n() * g.oc() * g.oh() * g.ow());
        float[][] got = ops.conv2d(g, x, w, b, dy);
        double[] xd = d(x), wd = d(w), bd = d(b), dyd = d(dy);
        double[] y = ReferenceOps.convForward(g, xd, wd, bd);
        double[] yBound = ReferenceOps.convForward(g, abs(xd), abs(wd), abs(bd));
        double[][] grads = ReferenceOps.convBackward(g, xd, wd, dyd);
        double[][] bounds = ReferenceOps.convBackward(g, abs(xd), abs(wd), abs(dyd));
        String what = " (" + g.describe() + ")";
        String f = compare("convolution forward" + what, got[0], y, yBound);
        if (f == null) {
            f = compare("convolution forward without autograd" + what, got[4], y, yBound);
        }
        if (f == null) {
            f = compare("convolution backward-data" + what, got[1], grads[0], bounds[0]);
        }
        if (f == null) {
            f = compare("convolution backward-weights" + what, got[2], grads[1], bounds[1]);
        }
        if (f == null) {
            f = compare("convolution backward-bias" + what, got[3], grads[2], bounds[2]);
        }
        return f;
    }

    private String linear(int n, int in, int out) {
        float[] x = random(n * in), w = random(out * in), b = random(out), dy = random(n * out);
        float[][] got = ops.linear(n, in, out, x, w, b, dy);
        double[] xd = d(x), wd = d(w), dyd = d(dy);
        double[][] g = ReferenceOps.linearBackward(n, in, out, xd, wd, dyd);
        double[][] gb = ReferenceOps.linearBackward(n, in, out, abs(xd), abs(wd), abs(dyd));
        String what = " (x[" + n + "," + in + "] W[" + out + "," + in + "])";
        String f = compare("linear forward" + what, got[0], ReferenceOps.linearForward(n, in, out, xd, wd, d(b)),
                ReferenceOps.linearForward(n, in, out, abs(xd), abs(wd), abs(d(b))));
        for (int i = 0; i < 3 && f == null; i++) {
            f = compare("linear backward-" + new String[] {"data", "weights", "bias"}[i] + what, got[i + 1], g[i], gb[i]);
        }
        return f;
    }

    private String pool(Conv g, boolean max, String name) {
        float[] x = random(g.n() * g.c() * g.h() * g.w());
        float[] dy = random(g.n() * g.c() * g.oh() * g.ow());
        float[][] got = ops.pool2d(g, max, x, dy);
        double[][] ref = ReferenceOps.pool(g, max, d(x), d(dy));
        double[][] bound = ReferenceOps.pool(g, false, abs(d(x)), abs(d(dy)));
        double[] yb = max ? abs(ref[0]) : bound[0];
        double[] db = max ? abs(ref[1]) : bound[1];
        String f = compare(name + " forward", got[0], ref[0], yb);
        return f != null ? f : compare(name + " backward", got[1], ref[1], db);
    }

    private String adaptive(int n, int c, int hw) {
        float[] x = random(n * c * hw * hw), dy = random(n * c);
        Conv g = new Conv(n, c, hw, hw, c, hw, 1, 0, 1);
        float[][] got = ops.adaptiveAvgPool1(n, c, hw, x, dy);
        double[][] ref = ReferenceOps.pool(g, false, d(x), d(dy));
        double[][] bound = ReferenceOps.pool(g, false, abs(d(x)), abs(d(dy)));
        String f = compare("adaptive average pooling 1x1 forward", got[0], ref[0], bound[0]);
        return f != null ? f : compare("adaptive average pooling 1x1 backward", got[1], ref[1], bound[1]);
    }

    private String batchNorm(int n, int c, int hw) {
        float eps = 1e-5f;
        float[] x = random(n * c * hw), gamma = random(c), beta = random(c), dy = random(n * c * hw);
        float[][] got = ops.batchNormTrain(n, c, hw, x, gamma, beta, eps, dy);
        double[][] ref = ReferenceOps.batchNormTrain(n, c, hw, d(x), d(gamma), d(beta), eps, d(dy));
        String[] names = {"forward", "backward-data", "backward-gamma", "backward-beta"};
        for (int i = 0; i < 4; i++) {
            String f = compare("batch norm (training) " + names[i] + " (x[" + n + "," + c + "," + hw + "])", got[i], ref[i], scaleBound(ref[i]));
            if (f != null) {
                return f;
            }
        }
        float[] mean = random(c), var = new float[c];
        for (int i = 0; i < c; i++) {
            var[i] = 0.5f + rnd.nextFloat();
        }
        double[] y = ReferenceOps.batchNormEval(n, c, hw, d(x), d(mean), d(var), d(gamma), d(beta), eps);
        return compare("batch norm (eval) forward (x[" + n + "," + c + "," + hw + "])",
                ops.batchNormEval(n, c, hw, x, mean, var, gamma, beta, eps), y, scaleBound(y));
    }

    /** Batch norm is no plain sum: bound each element by its own size plus the tensor's largest. */
    private static double[] scaleBound(double[] ref) {
        double max = 0;
        for (double v : ref) {
            max = Math.max(max, Math.abs(v));
        }
        double[] b = new double[ref.length];
        for (int i = 0; i < ref.length; i++) {
            b[i] = Math.abs(ref[i]) + max;
        }
        return b;
    }

    private String compare(String what, float[] got, double[] ref, double[] bound) {
        checks++;
        if (got.length != ref.length) {
            return what + ": " + got.length + " values, expected " + ref.length;
        }
        for (int i = 0; i < got.length; i++) {
            double tol = REL * bound[i] + ABS;
            if (!(Math.abs(got[i] - ref[i]) <= tol)) {
                return String.format(java.util.Locale.ROOT, "%s: element %d is %.6g, expected %.6g (tolerance %.2g)", what, i, got[i], ref[i], tol);
            }
        }
        return null;
    }

    private float[] random(int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = rnd.nextFloat() * 2 - 1;
        }
        return a;
    }

    private static double[] d(float[] a) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i];
        }
        return r;
    }

    private static double[] abs(double[] a) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = Math.abs(a[i]);
        }
        return r;
    }
}
