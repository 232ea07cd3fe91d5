package io.lac4j.engine;

/**
 * The engine operations the self-check judges, on float arrays in and out. Each returns the
 * forward result followed by the gradients of {@code sum(y * dy)} (dy given), in the order named.
 * {@link DjlEngineOps} runs them through libtorch exactly as lac4j's layers do; tests wrap it to
 * inject a wrong answer.
 */
interface EngineOps {
    /** {y, dx, dw, db, y computed without autograd} of a 2-d convolution with bias. */
    float[][] conv2d(ReferenceOps.Conv g, float[] x, float[] w, float[] b, float[] dy);

    /** {y, dx, dw, db} of {@code x W^T + b}. */
    float[][] linear(int n, int in, int out, float[] x, float[] w, float[] b, float[] dy);

    /** {y, dx} of max pooling ({@code max}) or average pooling (count_include_pad). */
    float[][] pool2d(ReferenceOps.Conv g, boolean max, float[] x, float[] dy);

    /** {y, dx} of adaptive average pooling to 1×1 over a [n, c, hw, hw] input. */
    float[][] adaptiveAvgPool1(int n, int c, int hw, float[] x, float[] dy);

    /** {y, dx, dgamma, dbeta} of training-mode batch norm over [n, c, hw] (biased variance). */
    float[][] batchNormTrain(int n, int c, int hw, float[] x, float[] gamma, float[] beta, float eps, float[] dy);

    /** y of eval-mode batch norm with running statistics. */
    float[] batchNormEval(int n, int c, int hw, float[] x, float[] mean, float[] var, float[] gamma, float[] beta, float eps);
}
