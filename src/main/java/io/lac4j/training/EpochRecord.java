package io.lac4j.training;

import java.util.Map;

/**
 * One row of the training log.
 *
 * @param loss epoch-average total loss
 * @param trainAcc FP accuracy on the clean training batches, %
 * @param terms epoch averages of the loss terms
 * @param cda FP clean accuracy on the per-epoch test subset (%), null without per-epoch evaluation
 * @param asrNoTarget FP ASR-no-target on that subset (%), null without trigger or evaluation
 * @param selected whether this epoch's weights are the ones kept so far
 */
public record EpochRecord(int epoch, double lr, double loss, double trainAcc, Map<String, Double> terms,
                          Double cda, Double asrNoTarget, double seconds, boolean selected) {
    public EpochRecord {
        terms = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(terms));
    }
}
