package io.lac4j.eval;

/**
 * The three evaluations the reference prints for one model state (a "phase": fp, naive_ptq,
 * purified): CDA on the clean test set, ASR over all triggered images (label := target), and
 * ASR-no-target over triggered images whose true label is not the target. {@code asr} and
 * {@code asrNoTarget} are null when no trigger was given.
 */
public record PhaseMetrics(Accuracy clean, Accuracy asr, Accuracy asrNoTarget, double seconds) {
    public double cda() {
        return clean.top1();
    }

    public Double asrAll() {
        return asr == null ? null : asr.top1();
    }

    public Double asrNt() {
        return asrNoTarget == null ? null : asrNoTarget.top1();
    }
}
