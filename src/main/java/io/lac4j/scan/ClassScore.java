package io.lac4j.scan;

/**
 * One candidate target class. Flip rates are fractions (0–1) of held-out clean images whose FP
 * prediction is another class that a recovered pattern sends to this class.
 *
 * @param score differential score: {@code flipQuantized − flipFp} of the differential pass's pattern
 * @param anomalyIndex robust anomaly index of {@code score} over the classes
 * @param flipQuantized the differential pattern's flip rate on the quantized model
 * @param flipFp the differential pattern's flip rate on the FP model
 * @param fpOnlyFlip flip rate on the FP model of the pattern inverted against the FP model alone
 * @param fpOnlyFlipQuantized flip rate on the quantized model of that FP-only pattern: whether an FP backdoor reaches
 *     the deployment
 * @param fpOnlyAnomalyIndex robust anomaly index of {@code fpOnlyFlip} over the classes
 * @param area mask area of the differential pattern, as a fraction of the image
 */
public record ClassScore(int cls, double score, double anomalyIndex, double flipQuantized, double flipFp,
                         double fpOnlyFlip, double fpOnlyFlipQuantized, double fpOnlyAnomalyIndex, double area) {}
