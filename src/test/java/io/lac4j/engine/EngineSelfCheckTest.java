package io.lac4j.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EngineSelfCheckTest {
    private static EngineOps real() {
        return new DjlEngineOps(Engines.start());
    }

    @Test
    void passesOnTheRunningEngine() {
        EngineSelfCheck.Result r = EngineSelfCheck.run(real());
        assertThat(r.failure()).isNull();
        assertThat(r.ok()).isTrue();
        // convolutions x 5 outputs, linear 4, pooling 3 x 2, adaptive 2, batch norm 5; each of 3 repeats.
        assertThat(r.checks()).isEqualTo(EngineSelfCheck.REPEATS * (EngineSelfCheck.convCases().size() * 5 + 4 + 6 + 2 + 5));
        assertThat(r.summary()).startsWith("ok (");
        assertThat(Engines.facts().selfCheck()).startsWith("ok (");
    }

    /** One wrong element, in one output of one operation, the way a bad kernel would return it. */
    static Stream<Arguments> injections() {
        return Stream.of(
                Arguments.of("conv forward", (Fault) o -> new Faulty(o) {
                    @Override
                    public float[][] conv2d(ReferenceOps.Conv g, float[] x, float[] w, float[] b, float[] dy) {
                        return bump(super.conv2d(g, x, w, b, dy), 0, 3, 0.01f);
                    }
                }, "convolution forward (x[2,1,4,4] w[2,1,3,3] stride 1 pad 1 groups 1): element 3 is"),
                Arguments.of("conv backward-data, ic=1", (Fault) o -> new Faulty(o) {
                    @Override
                    public float[][] conv2d(ReferenceOps.Conv g, float[] x, float[] w, float[] b, float[] dy) {
                        return g.c() == 1 ? bump(super.conv2d(g, x, w, b, dy), 1, 9, 0.002f) : super.conv2d(g, x, w, b, dy);
                    }
                }, "convolution backward-data (x[2,1,4,4] w[2,1,3,3]"),
                Arguments.of("conv backward-weights, depthwise", (Fault) o -> new Faulty(o) {
                    @Override
                    public float[][] conv2d(ReferenceOps.Conv g, float[] x, float[] w, float[] b, float[] dy) {
                        return g.groups() == 16 ? bump(super.conv2d(g, x, w, b, dy), 2, 0, 0.01f) : super.conv2d(g, x, w, b, dy);
                    }
                }, "convolution backward-weights (x[2,16,6,6] w[16,1,3,3] stride 1 pad 1 groups 16)"),
                Arguments.of("conv backward-data NaN, 1x1 stride 2", (Fault) o -> new Faulty(o) {
                    @Override
                    public float[][] conv2d(ReferenceOps.Conv g, float[] x, float[] w, float[] b, float[] dy) {
                        return g.k() == 1 && g.stride() == 2 ? bump(super.conv2d(g, x, w, b, dy), 1, 5, Float.NaN) : super.conv2d(g, x, w, b, dy);
                    }
                }, "convolution backward-data (x[2,16,8,8] w[32,16,1,1] stride 2 pad 0 groups 1): element 5 is NaN"),
                Arguments.of("conv forward without autograd, grouped", (Fault) o -> new Faulty(o) {
                    @Override
                    public float[][] conv2d(ReferenceOps.Conv g, float[] x, float[] w, float[] b, float[] dy) {
                        return g.groups() == 2 ? bump(super.conv2d(g, x, w, b, dy), 4, 11, -0.01f) : super.conv2d(g, x, w, b, dy);
                    }
                }, "convolution forward without autograd (x[2,8,6,6] w[8,4,3,3] stride 1 pad 1 groups 2): element 11 is"),
                Arguments.of("linear backward-weights", (Fault) o -> new Faulty(o) {
                    @Override
                    public float[][] linear(int n, int in, int out, float[] x, float[] w, float[] b, float[] dy) {
                        return bump(super.linear(n, in, out, x, w, b, dy), 2, 7, 0.01f);
                    }
                }, "linear backward-weights"),
                Arguments.of("max pooling backward", (Fault) o -> new Faulty(o) {
                    @Override
                    public float[][] pool2d(ReferenceOps.Conv g, boolean max, float[] x, float[] dy) {
                        return max && g.pad() == 1 ? bump(super.pool2d(g, max, x, dy), 1, 4, 0.01f) : super.pool2d(g, max, x, dy);
                    }
                }, "max pooling 3x3/2 pad 1 backward"),
                Arguments.of("adaptive pooling forward", (Fault) o -> new Faulty(o) {
                    @Override
                    public float[][] adaptiveAvgPool1(int n, int c, int hw, float[] x, float[] dy) {
                        return bump(super.adaptiveAvgPool1(n, c, hw, x, dy), 0, 1, 0.01f);
                    }
                }, "adaptive average pooling 1x1 forward"),
                Arguments.of("batch norm backward-data", (Fault) o -> new Faulty(o) {
                    @Override
                    public float[][] batchNormTrain(int n, int c, int hw, float[] x, float[] g, float[] b, float eps, float[] dy) {
                        return bump(super.batchNormTrain(n, c, hw, x, g, b, eps, dy), 1, 2, 0.01f);
                    }
                }, "batch norm (training) backward-data"),
                Arguments.of("batch norm eval", (Fault) o -> new Faulty(o) {
                    @Override
                    public float[] batchNormEval(int n, int c, int hw, float[] x, float[] m, float[] v, float[] g, float[] b, float eps) {
                        float[] y = super.batchNormEval(n, c, hw, x, m, v, g, b, eps);
                        y[y.length - 1] += 0.01f;
                        return y;
                    }
                }, "batch norm (eval) forward"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("injections")
    void namesTheOperationThatReturnedAWrongValue(String name, Fault fault, String expected) {
        EngineSelfCheck.Result r = EngineSelfCheck.run(fault.apply(real()));
        assertThat(r.ok()).isFalse();
        assertThat(r.failure()).startsWith(expected);
        assertThat(r.summary()).startsWith("FAILED: " + expected);
    }

    @Test
    void catchesAFaultThatAppearsInOnlySomeRuns() {
        // The oneDNN fault was right about one run in eight: the check repeats each case.
        int[] calls = {0};
        EngineSelfCheck.Result r = EngineSelfCheck.run(new Faulty(real()) {
            @Override
            public float[][] conv2d(ReferenceOps.Conv g, float[] x, float[] w, float[] b, float[] dy) {
                float[][] out = super.conv2d(g, x, w, b, dy);
                return g.c() == 1 && g.stride() == 1 && ++calls[0] == EngineSelfCheck.REPEATS ? bump(out, 1, 0, 1f) : out;
            }
        });
        assertThat(r.ok()).isFalse();
        assertThat(r.failure()).startsWith("convolution backward-data (x[2,1,4,4]");
    }

    @Test
    void toleratesFloatSummationOrder() {
        // A different but legitimate float32 order moves a result by a few ulps of its terms' sum;
        // 1e-6 relative is several times that and must pass, or the check would reject good kernels.
        EngineSelfCheck.Result r = EngineSelfCheck.run(new Faulty(real()) {
            @Override
            public float[][] conv2d(ReferenceOps.Conv g, float[] x, float[] w, float[] b, float[] dy) {
                float[][] out = super.conv2d(g, x, w, b, dy);
                for (float[] a : out) {
                    for (int i = 0; i < a.length; i++) {
                        a[i] *= 1 + 1e-6f;
                    }
                }
                return out;
            }
        });
        assertThat(r.failure()).isNull();
    }

    @Test
    void reportsAnEngineExceptionAsAFailure() {
        EngineSelfCheck.Result r = EngineSelfCheck.run(new Faulty(real()) {
            @Override
            public float[][] linear(int n, int in, int out, float[] x, float[] w, float[] b, float[] dy) {
                throw new IllegalStateException("could not create a primitive");
            }
        });
        assertThat(r.ok()).isFalse();
        assertThat(r.failure()).contains("could not create a primitive");
    }

    @Test
    void autoFallsBackWhenOnednnFailsAndAnExplicitChoiceDoesNot() {
        AtomicBoolean onednn = new AtomicBoolean(true);
        EngineOps brokenWhileOnednn = new Faulty(real()) {
            @Override
            public float[][] conv2d(ReferenceOps.Conv g, float[] x, float[] w, float[] b, float[] dy) {
                float[][] out = super.conv2d(g, x, w, b, dy);
                return onednn.get() ? bump(out, 1, 0, 1f) : out;
            }
        };
        Engines.Selection auto = Engines.select(KernelChoice.AUTO, KernelChoice.ONEDNN_SSE41, brokenWhileOnednn, () -> onednn.set(false));
        assertThat(onednn.get()).isFalse();
        assertThat(auto.used()).isEqualTo(KernelChoice.ATEN);
        assertThat(auto.result().ok()).isTrue();
        assertThat(auto.fallback()).startsWith("oneDNN failed the self-check: convolution backward-data (x[2,1,4,4]");

        onednn.set(true);
        Engines.Selection explicit = Engines.select(KernelChoice.ONEDNN, KernelChoice.ONEDNN, brokenWhileOnednn, () -> onednn.set(false));
        assertThat(onednn.get()).isTrue();
        assertThat(explicit.used()).isEqualTo(KernelChoice.ONEDNN);
        assertThat(explicit.result().ok()).isFalse();
        assertThat(explicit.fallback()).isNull();

        Engines.Selection healthy = Engines.select(KernelChoice.AUTO, KernelChoice.ONEDNN_SSE41, real(), () -> onednn.set(false));
        assertThat(healthy.used()).isEqualTo(KernelChoice.ONEDNN_SSE41);
        assertThat(healthy.fallback()).isNull();
    }

    /** Wraps the engine's operations for one test's fault. */
    interface Fault extends UnaryOperator<EngineOps> {}

    /** Delegates every operation; subclasses corrupt one. */
    static class Faulty implements EngineOps {
        private final EngineOps real;

        Faulty(EngineOps real) {
            this.real = real;
        }

        static float[][] bump(float[][] out, int which, int index, float delta) {
            out[which][index] = Float.isNaN(delta) ? Float.NaN : out[which][index] + delta;
            return out;
        }

        @Override
        public float[][] conv2d(ReferenceOps.Conv g, float[] x, float[] w, float[] b, float[] dy) {
            return real.conv2d(g, x, w, b, dy);
        }

        @Override
        public float[][] linear(int n, int in, int out, float[] x, float[] w, float[] b, float[] dy) {
            return real.linear(n, in, out, x, w, b, dy);
        }

        @Override
        public float[][] pool2d(ReferenceOps.Conv g, boolean max, float[] x, float[] dy) {
            return real.pool2d(g, max, x, dy);
        }

        @Override
        public float[][] adaptiveAvgPool1(int n, int c, int hw, float[] x, float[] dy) {
            return real.adaptiveAvgPool1(n, c, hw, x, dy);
        }

        @Override
        public float[][] batchNormTrain(int n, int c, int hw, float[] x, float[] gamma, float[] beta, float eps, float[] dy) {
            return real.batchNormTrain(n, c, hw, x, gamma, beta, eps, dy);
        }

        @Override
        public float[] batchNormEval(int n, int c, int hw, float[] x, float[] mean, float[] var, float[] gamma, float[] beta, float eps) {
            return real.batchNormEval(n, c, hw, x, mean, var, gamma, beta, eps);
        }
    }
}
