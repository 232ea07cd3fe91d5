package io.lac4j.scan;

import java.util.Comparator;
import java.util.List;

/**
 * What a scan concludes. Order of the rules: a class whose differential pattern stands out, flips the
 * quantized model and leaves the FP model alone is a quantization-conditioned backdoor — a pattern that
 * only the quantized model follows is the QCB's defining behaviour, even when the FP model also leans
 * to that class; else a class whose FP-only pattern stands out and flips the FP model is an FP backdoor
 * (BadNets-like: backdoored before any quantization); else nothing was found. (The first version
 * checked the FP rule first and read an activation-keyed QCB whose FP model leans to its target as an
 * FP backdoor; docs/scan.md.)
 */
public record ScanVerdict(Kind kind, Integer target) {
    public enum Kind {
        QCB_SUSPECTED("QCB suspected"),
        FP_BACKDOOR("backdoor in FP too"),
        NO_QCB("no QCB found");

        private final String text;

        Kind(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    /** The verdict line: {@code QCB suspected (target 3)}, {@code no QCB found}, … */
    public String text() {
        return target == null ? kind.text() : kind.text() + " (target " + target + ")";
    }

    static ScanVerdict decide(List<ClassScore> scores, ScanConfig cfg) {
        ClassScore q = scores.stream().max(Comparator.comparingDouble(ClassScore::anomalyIndex)).orElseThrow();
        if (q.anomalyIndex() >= cfg.anomaly() && q.flipQuantized() >= cfg.minFlip() && q.flipFp() < cfg.maxFpFlip()) {
            return new ScanVerdict(Kind.QCB_SUSPECTED, q.cls());
        }
        ClassScore fp = scores.stream().max(Comparator.comparingDouble(ClassScore::fpOnlyAnomalyIndex)).orElseThrow();
        if (fp.fpOnlyAnomalyIndex() >= cfg.anomaly() && fp.fpOnlyFlip() >= 1 - cfg.maxFpFlip()) {
            return new ScanVerdict(Kind.FP_BACKDOOR, fp.cls());
        }
        return new ScanVerdict(Kind.NO_QCB, null);
    }
}
