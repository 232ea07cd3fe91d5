package io.lac4j.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;

/**
 * One defense at one bit width, over seeds: mean ± sample standard deviation (n − 1; 0 for a
 * single seed) of CDA, ASR, ASR-no-target, DER (all %) and wall time (s). A statistic is null when
 * it was not measured (no trigger).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ComparisonRow(String defense, int bits, int seeds, Stat cda, Stat asr, Stat asrNoTarget, Stat der, Stat seconds,
                            Stat residual, Stat worstAsrNoTargetOverSweep) {
    /** Without the trigger-free residual (no scan). */
    public ComparisonRow(String defense, int bits, int seeds, Stat cda, Stat asr, Stat asrNoTarget, Stat der, Stat seconds) {
        this(defense, bits, seeds, cda, asr, asrNoTarget, der, seconds, null, null);
    }

    /** Without a range sweep. */
    public ComparisonRow(String defense, int bits, int seeds, Stat cda, Stat asr, Stat asrNoTarget, Stat der, Stat seconds,
                         Stat residual) {
        this(defense, bits, seeds, cda, asr, asrNoTarget, der, seconds, residual, null);
    }

    /** Mean and standard deviation of one metric. */
    public record Stat(double mean, double std) {
        /** Null when any value is null (the metric was not measured). */
        public static Stat of(List<Double> values) {
            if (values.isEmpty() || values.stream().anyMatch(Objects::isNull)) {
                return null;
            }
            double mean = values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            double ss = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
            double std = values.size() > 1 ? Math.sqrt(ss / (values.size() - 1)) : 0.0;
            return new Stat(mean, std);
        }

        public String format() {
            return String.format(java.util.Locale.ROOT, "%.2f ± %.2f", mean, std);
        }
    }
}
