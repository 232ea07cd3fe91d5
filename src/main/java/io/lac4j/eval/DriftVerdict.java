package io.lac4j.eval;

import java.util.List;

/**
 * A heuristic reading of a {@link DriftProfile} — a hint where to look, not a detector with known
 * error rates. The layers after the model input are split into thirds by depth:
 *
 * <ul>
 *   <li>{@code triggeredToClean}: mean triggered drift over the deepest third divided by mean clean
 *       drift there. A QCB is dormant in FP and wakes under quantization, so on triggered inputs the
 *       quantized model's deep activations leave the FP ones far behind; a benign model drifts about
 *       as much on triggered as on clean images.
 *   <li>{@code lateToEarly}: mean clean drift over the deepest third divided by the first third. Drift
 *       accumulates with depth in any quantized model, so this alone is weak evidence; it needs no
 *       trigger knowledge.
 * </ul>
 *
 * {@link Level#SUSPICIOUS} when {@code triggeredToClean ≥ 2}; {@link Level#ELEVATED} when {@code
 * triggeredToClean ≥ 1.3} or {@code lateToEarly ≥ 8}; else {@link Level#NO_SIGNAL}.
 */
public record DriftVerdict(Level level, double lateToEarly, Double triggeredToClean, String reason) {
    public static final double SUSPICIOUS_RATIO = 2.0;
    public static final double ELEVATED_RATIO = 1.3;
    public static final double ELEVATED_DEPTH = 8.0;

    /** How strongly the profile points at a quantization-conditioned backdoor. */
    public enum Level { NO_SIGNAL, ELEVATED, SUSPICIOUS }

    public static DriftVerdict of(DriftProfile p) {
        List<LayerDrift> body = p.layers().stream().filter(l -> !l.layer().equals(io.lac4j.nn.Graph.INPUT)).toList();
        if (body.size() < 3) {
            return new DriftVerdict(Level.NO_SIGNAL, Double.NaN, null, "too few layers (" + body.size() + ") to compare depths");
        }
        int third = body.size() / 3;
        List<LayerDrift> early = body.subList(0, third);
        List<LayerDrift> late = body.subList(body.size() - third, body.size());
        double earlyClean = mean(early, false);
        double lateClean = mean(late, false);
        double depth = earlyClean == 0 ? Double.POSITIVE_INFINITY : lateClean / earlyClean;
        Double trig = null;
        if (p.hasTriggered()) {
            trig = lateClean == 0 ? Double.POSITIVE_INFINITY : mean(late, true) / lateClean;
        }
        String where = String.format("deepest %d layers (%s … %s)", late.size(), late.get(0).layer(),
                late.get(late.size() - 1).layer());
        if (trig != null && trig >= SUSPICIOUS_RATIO) {
            return new DriftVerdict(Level.SUSPICIOUS, depth, trig, String.format(
                    "triggered inputs drift %.1f× more than clean ones in the %s: the trigger changes what quantization does"
                            + " to this model — typical of a quantization-conditioned backdoor", trig, where));
        }
        if (trig != null && trig >= ELEVATED_RATIO) {
            return new DriftVerdict(Level.ELEVATED, depth, trig, String.format(
                    "triggered inputs drift %.1f× more than clean ones in the %s; check ASR of the quantized model", trig, where));
        }
        if (depth >= ELEVATED_DEPTH) {
            return new DriftVerdict(Level.ELEVATED, depth, trig, String.format(
                    "clean drift grows %.1f× from the first to the last third of the layers%s; run with the suspected trigger"
                            + " to compare", depth, trig == null ? "" : String.format(" (triggered/clean %.2f)", trig)));
        }
        return new DriftVerdict(Level.NO_SIGNAL, depth, trig, String.format(
                "clean drift grows %.1f× with depth%s; nothing stands out", depth,
                trig == null ? " (no trigger given)" : String.format(", triggered/clean %.2f in the %s", trig, where)));
    }

    private static double mean(List<LayerDrift> ls, boolean triggered) {
        return ls.stream().mapToDouble(l -> triggered ? l.triggered() : l.clean()).average().orElse(0);
    }
}
