package io.lac4j.engine;

/**
 * Plain-Java reference implementations (double accumulation) of the operations the engine
 * self-check tests. Each returns the exact answer of the operation on float inputs up to double
 * rounding; called with the absolute values of the inputs, a linear operation returns the sum of
 * absolute terms per output element, which bounds float32 ordering error (see {@link EngineSelfCheck}).
 * Tensors are row-major NCHW; weights OIHW (O = out channels, I = in channels per group).
 */
final class ReferenceOps {
    private ReferenceOps() {}

    /** Geometry of one 2-d convolution or pooling window. */
    record Conv(int n, int c, int h, int w, int oc, int k, int stride, int pad, int groups) {
        int oh() {
            return (h + 2 * pad - k) / stride + 1;
        }

        int ow() {
            return (w + 2 * pad - k) / stride + 1;
        }

        int icPerGroup() {
            return c / groups;
        }

        int ocPerGroup() {
            return oc / groups;
        }

        String describe() {
            return "x[" + n + "," + c + "," + h + "," + w + "] w[" + oc + "," + icPerGroup() + "," + k + "," + k
                    + "] stride " + stride + " pad " + pad + " groups " + groups;
        }
    }

    /** One term of a convolution: output element {@code y}, input element {@code x}, weight {@code w}, out channel {@code o}. */
    interface Term {
        void at(int y, int x, int w, int o);
    }

    /** Visits every (output, input, weight) triple of the convolution once; padding taps are skipped. */
    static void forEachTerm(Conv g, Term term) {
        int oh = g.oh(), ow = g.ow(), icg = g.icPerGroup(), ocg = g.ocPerGroup();
        for (int n = 0; n < g.n(); n++) {
            for (int o = 0; o < g.oc(); o++) {
                int grp = o / ocg;
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        int yi = ((n * g.oc() + o) * oh + i) * ow + j;
                        for (int c = 0; c < icg; c++) {
                            int ci = grp * icg + c;
                            for (int p = 0; p < g.k(); p++) {
                                int ii = i * g.stride() - g.pad() + p;
                                for (int q = 0; q < g.k(); q++) {
                                    int jj = j * g.stride() - g.pad() + q;
                                    if (ii >= 0 && ii < g.h() && jj >= 0 && jj < g.w()) {
                                        term.at(yi, ((n * g.c() + ci) * g.h() + ii) * g.w() + jj,
                                                ((o * icg + c) * g.k() + p) * g.k() + q, o);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** y[n,o,i,j] = b[o] + sum over the window of x * w. */
    static double[] convForward(Conv g, double[] x, double[] w, double[] b) {
        int per = g.oh() * g.ow();
        double[] y = new double[g.n() * g.oc() * per];
        for (int i = 0; i < y.length; i++) {
            y[i] = b == null ? 0 : b[(i / per) % g.oc()];
        }
        forEachTerm(g, (yi, xi, wi, o) -> y[yi] += x[xi] * w[wi]);
        return y;
    }

    /** Gradients of sum(y * dy) for y = conv(x, w, b): {dx, dw, db}. */
    static double[][] convBackward(Conv g, double[] x, double[] w, double[] dy) {
        double[] dx = new double[x.length];
        double[] dw = new double[w.length];
        double[] db = new double[g.oc()];
        int per = g.oh() * g.ow();
        for (int i = 0; i < dy.length; i++) {
            db[(i / per) % g.oc()] += dy[i];
        }
        forEachTerm(g, (yi, xi, wi, o) -> {
            dx[xi] += dy[yi] * w[wi];
            dw[wi] += dy[yi] * x[xi];
        });
        return new double[][] {dx, dw, db};
    }

    /** y = x W^T + b for x [n, in], W [out, in]. */
    static double[] linearForward(int n, int in, int out, double[] x, double[] w, double[] b) {
        double[] y = new double[n * out];
        for (int r = 0; r < n; r++) {
            for (int o = 0; o < out; o++) {
                double s = b[o];
                for (int i = 0; i < in; i++) {
                    s += x[r * in + i] * w[o * in + i];
                }
                y[r * out + o] = s;
            }
        }
        return y;
    }

    /** Gradients of sum(y * dy) for y = x W^T + b: {dx, dW, db}. */
    static double[][] linearBackward(int n, int in, int out, double[] x, double[] w, double[] dy) {
        double[] dx = new double[n * in];
        double[] dw = new double[out * in];
        double[] db = new double[out];
        for (int r = 0; r < n; r++) {
            for (int o = 0; o < out; o++) {
                double d = dy[r * out + o];
                db[o] += d;
                for (int i = 0; i < in; i++) {
                    dx[r * in + i] += d * w[o * in + i];
                    dw[o * in + i] += d * x[r * in + i];
                }
            }
        }
        return new double[][] {dx, dw, db};
    }

    /**
     * Max or average pooling (PyTorch semantics: padding counts as -inf for max; average divides
     * by the window size including padding, count_include_pad=True) and the gradient of sum(y * dy).
     * Returns {y, dx}. For max pooling a tie would make the gradient ambiguous; the self-check's
     * random inputs have none.
     */
    static double[][] pool(Conv g, boolean max, double[] x, double[] dy) {
        int oh = g.oh(), ow = g.ow();
        double[] y = new double[g.n() * g.c() * oh * ow];
        double[] dx = new double[x.length];
        for (int n = 0; n < g.n(); n++) {
            for (int c = 0; c < g.c(); c++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        int yi = ((n * g.c() + c) * oh + i) * ow + j;
                        double best = Double.NEGATIVE_INFINITY, sum = 0;
                        int arg = -1;
                        for (int p = 0; p < g.k(); p++) {
                            for (int q = 0; q < g.k(); q++) {
                                int ii = i * g.stride() - g.pad() + p, jj = j * g.stride() - g.pad() + q;
                                if (ii < 0 || ii >= g.h() || jj < 0 || jj >= g.w()) {
                                    continue;
                                }
                                int xi = ((n * g.c() + c) * g.h() + ii) * g.w() + jj;
                                sum += x[xi];
                                if (x[xi] > best) {
                                    best = x[xi];
                                    arg = xi;
                                }
                            }
                        }
                        if (max) {
                            y[yi] = best;
                            dx[arg] += dy[yi];
                        } else {
                            double area = g.k() * g.k();
                            y[yi] = sum / area;
                            for (int p = 0; p < g.k(); p++) {
                                for (int q = 0; q < g.k(); q++) {
                                    int ii = i * g.stride() - g.pad() + p, jj = j * g.stride() - g.pad() + q;
                                    if (ii >= 0 && ii < g.h() && jj >= 0 && jj < g.w()) {
                                        dx[((n * g.c() + c) * g.h() + ii) * g.w() + jj] += dy[yi] / area;
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return new double[][] {y, dx};
    }

    /**
     * Training-mode batch norm over (N, H, W) per channel with biased variance, and the gradients
     * of sum(y * dy): {y, dx, dgamma, dbeta}.
     */
    static double[][] batchNormTrain(int n, int c, int hw, double[] x, double[] gamma, double[] beta, double eps, double[] dy) {
        double[] y = new double[x.length], dx = new double[x.length], dgamma = new double[c], dbeta = new double[c];
        int m = n * hw;
        for (int ch = 0; ch < c; ch++) {
            double mean = 0;
            for (int s = 0; s < n; s++) {
                for (int p = 0; p < hw; p++) {
                    mean += x[(s * c + ch) * hw + p];
                }
            }
            mean /= m;
            double var = 0;
            for (int s = 0; s < n; s++) {
                for (int p = 0; p < hw; p++) {
                    double d = x[(s * c + ch) * hw + p] - mean;
                    var += d * d;
                }
            }
            var /= m;
            double inv = 1 / Math.sqrt(var + eps);
            double sumDy = 0, sumDyXhat = 0;
            for (int s = 0; s < n; s++) {
                for (int p = 0; p < hw; p++) {
                    int i = (s * c + ch) * hw + p;
                    double xhat = (x[i] - mean) * inv;
                    y[i] = gamma[ch] * xhat + beta[ch];
                    sumDy += dy[i];
                    sumDyXhat += dy[i] * xhat;
                }
            }
            dgamma[ch] = sumDyXhat;
            dbeta[ch] = sumDy;
            for (int s = 0; s < n; s++) {
                for (int p = 0; p < hw; p++) {
                    int i = (s * c + ch) * hw + p;
                    double xhat = (x[i] - mean) * inv;
                    dx[i] = gamma[ch] * inv * (dy[i] - sumDy / m - xhat * sumDyXhat / m);
                }
            }
        }
        return new double[][] {y, dx, dgamma, dbeta};
    }

    /** Eval-mode batch norm with running statistics. */
    static double[] batchNormEval(int n, int c, int hw, double[] x, double[] mean, double[] var, double[] gamma, double[] beta, double eps) {
        double[] y = new double[x.length];
        for (int s = 0; s < n; s++) {
            for (int ch = 0; ch < c; ch++) {
                double inv = 1 / Math.sqrt(var[ch] + eps);
                for (int p = 0; p < hw; p++) {
                    int i = (s * c + ch) * hw + p;
                    y[i] = (x[i] - mean[ch]) * inv * gamma[ch] + beta[ch];
                }
            }
        }
        return y;
    }
}
