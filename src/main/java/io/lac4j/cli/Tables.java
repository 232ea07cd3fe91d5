package io.lac4j.cli;

import io.lac4j.pipeline.ResultDocument;
import java.io.PrintWriter;
import java.util.Map;

/** The console result table every evaluating command prints on stdout. */
final class Tables {
    private Tables() {}

    static void phases(PrintWriter out, Map<String, ResultDocument.Phase> phases, Double der) {
        phases(out, phases, der, "purified");
    }

    /** The table with DER labelled naive_ptq → {@code after}. */
    static void phases(PrintWriter out, Map<String, ResultDocument.Phase> phases, Double der, String after) {
        out.printf("%-12s %8s %8s %8s %8s %7s %8s%n", "phase", "CDA", "ASR", "ASR-nt", "top-5", "n", "time");
        for (Map.Entry<String, ResultDocument.Phase> e : phases.entrySet()) {
            ResultDocument.Phase p = e.getValue();
            out.printf("%-12s %8.2f %8s %8s %8.2f %7d %8s%n", e.getKey(), p.cda(), pct(p.asr()), pct(p.asrNoTarget()),
                    p.top5(), p.n(), p.seconds() == null ? "" : String.format("%.1fs", p.seconds()));
        }
        if (der != null) {
            out.printf("DER (naive_ptq -> %s): %.2f%n", after, der);
        }
        out.flush();
    }

    /** One line per exported phase checked in ONNX Runtime: its metrics there and how many predictions differ. */
    static void onnxChecks(PrintWriter out, Map<String, ResultDocument.OnnxCheck> checks) {
        if (checks == null) {
            return;
        }
        for (Map.Entry<String, ResultDocument.OnnxCheck> e : checks.entrySet()) {
            ResultDocument.OnnxCheck c = e.getValue();
            ResultDocument.Phase p = c.onnxRuntime();
            int n = c.images().values().stream().mapToInt(Integer::intValue).sum();
            int differ = c.disagreements().values().stream().mapToInt(Integer::intValue).sum();
            out.printf("%s in %s (%s): CDA %.2f  ASR %s  ASR-nt %s; largest difference %.2f points; %d of %d predictions differ%n",
                    c.file(), c.runtime(), e.getKey(), p.cda(), pct(p.asr()), pct(p.asrNoTarget()), c.largestDifference(), differ, n);
        }
        out.flush();
    }

    /** The scan's per-class table, its verdict line last (then the FP checkpoint's lean, when the verdict has one). */
    static void scan(PrintWriter out, ResultDocument.ScanSection s) {
        if (s == null) {
            return;
        }
        boolean draws = s.classes().stream().anyMatch(c -> c.draw() != null);
        out.println("class   score  anomaly   flip(Q)  flip(FP)  FP-only flip (FP)  (Q)  FP-only anomaly   area"
                + (draws ? "  draw" : ""));
        for (ResultDocument.ScanClass c : s.classes()) {
            out.printf("%5d  %6.1f  %7.2f   %7.1f  %8.1f  %17.1f  %5s  %15.2f  %5.1f%s%s%n", c.cls(), c.score(), c.anomalyIndex(),
                    c.flipQuantized(), c.flipFp(), c.fpOnlyFlip(), c.fpOnlyFlipQuantized() == null ? "-"
                            : String.format("%.1f", c.fpOnlyFlipQuantized()), c.fpOnlyAnomalyIndex(), c.area(),
                    c.draw() == null ? "" : String.format("  %4d", c.draw()), c.cls() == s.suspect() ? "  <-" : "");
        }
        if (draws) {
            out.printf("(each class keeps the best of %d draws of the differential search, scored on optimisation images)%n",
                    s.classes().get(0).drawScores().size());
        }
        out.printf("(%% of %d held-out clean images; patterns optimised on %d others)%n", s.heldOutImages(), s.optimisationImages());
        if (s.refined() != null) {
            ResultDocument.ScanRefined r = s.refined();
            out.printf("recovered pattern, class %d refined %d more steps%s: flips %.1f %% of the quantized model, %.1f %% of"
                    + " the FP model (mask %.1f %% of the image)%n", r.cls(), r.steps(), r.keptNote(), r.flipQuantized(), r.flipFp(), r.area());
        }
        String look = s.secondLookNote();
        if (look != null) {
            out.println(look);
        }
        if (s.residual().size() > 1) {
            s.residual().forEach((phase, r) -> out.printf("trigger-free residual (class %d pattern) on %s: %.1f %%%n", s.suspect(), phase, r));
        }
        out.println("verdict: " + s.verdict());
        String lean = s.fpLeanNote();
        if (lean != null) {
            out.println("note: " + lean);
        }
        out.flush();
    }

    /**
     * Each defended phase's metrics with the activation ranges scaled, and the worst ASR-no-target over the calibrated
     * ranges (x1, the phase's own row in {@code phases}) and the sweep, as compare's column counts it.
     */
    static void rangeSweep(PrintWriter out, java.util.Map<String, java.util.List<ResultDocument.RangePoint>> sweep,
                           java.util.Map<String, ResultDocument.Phase> phases) {
        if (sweep == null) {
            return;
        }
        sweep.forEach((phase, points) -> {
            out.println(phase + " with activation ranges scaled:");
            out.println("factor     CDA     ASR  ASR-nt");
            for (ResultDocument.RangePoint p : points) {
                out.printf("%6.3f  %6.2f  %6s  %6s%n", p.factor(), p.cda(), pct(p.asr()), pct(p.asrNoTarget()));
            }
            ResultDocument.Phase calibrated = phases.get(phase);
            java.util.stream.Stream<ResultDocument.RangePoint> atOne = calibrated == null ? java.util.stream.Stream.empty()
                    : java.util.stream.Stream.of(new ResultDocument.RangePoint(1.0, calibrated.cda(), calibrated.asr(),
                    calibrated.asrNoTarget()));
            java.util.stream.Stream.concat(atOne, points.stream()).filter(p -> p.asrNoTarget() != null)
                    .max(java.util.Comparator.comparingDouble(ResultDocument.RangePoint::asrNoTarget))
                    .ifPresent(p -> out.printf("worst ASR-nt over the calibrated ranges and the sweep: %.2f %% at x%.3f%n",
                            p.asrNoTarget(), p.factor()));
        });
        out.flush();
    }

    /** Each defended phase's exported checkpoint quantized again: metrics and how far the activation scales moved. */
    static void requantized(PrintWriter out, java.util.Map<String, ResultDocument.Requantized> requantized) {
        if (requantized == null) {
            return;
        }
        requantized.forEach((phase, q) -> out.printf("%s, its exported checkpoint quantized again: CDA %.2f  ASR %s  ASR-nt %s;"
                + " activation scales x%.3f to x%.3f of the defended model's (median x%.3f)%n", phase, q.cda(), pct(q.asr()),
                pct(q.asrNoTarget()), q.scaleRatioMin(), q.scaleRatioMax(), q.scaleRatioMedian()));
        out.flush();
    }

    private static String pct(Double v) {
        return v == null ? "-" : String.format("%.2f", v);
    }
}
