package io.lac4j.scan;

import java.util.Comparator;
import java.util.List;

/**
 * What a scan concludes. Order of the rules: a class whose differential pattern stands out, flips the
 * quantized model and leaves the FP model alone is a quantization-conditioned backdoor — a pattern that
 * only the quantized model follows is the QCB's defining behaviour, even when the FP model also leans
 * to that class; else a class whose FP-only pattern stands out and flips the FP model is an FP backdoor
 * (BadNets-like: backdoored before any quantization) when that pattern flips the quantized model too;
 * else nothing was found. (The first version checked the FP rule first and read an activation-keyed QCB
 * whose FP model leans to its target as an FP backdoor; until the FP-only pattern was measured on the
 * quantized model, a purified activation-keyed QCB whose FP checkpoint still leans to the target read as
 * an FP backdoor although its deployment no longer followed the pattern; docs/scan.md.)
 *
 * @param target the suspected target class (QCB or FP backdoor), null when nothing was found
 * @param fpLean with {@code no QCB found} only: the class an FP-only pattern sends the FP checkpoint to as
 *     an FP backdoor would, while the scanned quantized model does not follow it; null otherwise
 */
public record ScanVerdict(Kind kind, Integer target, Integer fpLean) {
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

    public ScanVerdict {
        if (fpLean != null && kind != Kind.NO_QCB) {
            throw new IllegalArgumentException("an FP lean is reported only with " + Kind.NO_QCB.text() + ", not with " + kind.text());
        }
    }

    public ScanVerdict(Kind kind, Integer target) {
        this(kind, target, null);
    }

    /** The verdict line: {@code QCB suspected (target 3)}, {@code no QCB found}, … */
    public String text() {
        return target == null ? kind.text() : kind.text() + " (target " + target + ")";
    }

    /** The class whose differential score stands out most (the QCB rule's candidate). */
    static ClassScore mostAnomalous(List<ClassScore> scores) {
        return scores.stream().max(Comparator.comparingDouble(ClassScore::anomalyIndex)).orElseThrow();
    }

    /** Whether a pattern's flip rates are a quantization-conditioned backdoor's: the quantized model follows, the FP one not. */
    static boolean confirms(double flipQuantized, double flipFp, ScanConfig cfg) {
        return flipQuantized >= cfg.minFlip() && flipFp < cfg.maxFpFlip();
    }

    static ScanVerdict decide(List<ClassScore> scores, ScanConfig cfg) {
        ClassScore q = mostAnomalous(scores);
        if (q.anomalyIndex() >= cfg.anomaly() && confirms(q.flipQuantized(), q.flipFp(), cfg)) {
            return new ScanVerdict(Kind.QCB_SUSPECTED, q.cls());
        }
        ClassScore fp = scores.stream().max(Comparator.comparingDouble(ClassScore::fpOnlyAnomalyIndex)).orElseThrow();
        if (fp.fpOnlyAnomalyIndex() >= cfg.anomaly() && fp.fpOnlyFlip() >= 1 - cfg.maxFpFlip()) {
            // an FP backdoor is a finding about what ships only if the quantized model follows it too
            return fp.fpOnlyFlipQuantized() >= cfg.minFlip() ? new ScanVerdict(Kind.FP_BACKDOOR, fp.cls())
                    : new ScanVerdict(Kind.NO_QCB, null, fp.cls());
        }
        return new ScanVerdict(Kind.NO_QCB, null);
    }
}
