package io.lac4j.report;

import io.lac4j.eval.DriftProfile;
import io.lac4j.eval.LayerDrift;
import io.lac4j.pipeline.ResultDocument;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Numbers and rows both report formats share, so Markdown and HTML always say the same thing. */
final class ReportText {
    private static final char[] BLOCKS = "▁▂▃▄▅▆▇█".toCharArray();

    private ReportText() {}

    static String pct(Double v) {
        return v == null ? "–" : String.format(Locale.ROOT, "%.2f", v);
    }

    static String num(double v) {
        if (!Double.isFinite(v)) {
            return String.valueOf(v);
        }
        double a = Math.abs(v);
        return a != 0 && (a < 1e-3 || a >= 1e5) ? String.format(Locale.ROOT, "%.3e", v) : String.format(Locale.ROOT, "%.4f", v);
    }

    static String seconds(Double s) {
        return s == null ? "" : String.format(Locale.ROOT, "%.1f s", s);
    }

    /** The header facts: label → value, nulls left out. */
    static Map<String, String> facts(ResultDocument d) {
        Map<String, String> f = new LinkedHashMap<>();
        put(f, "command", d.command());
        if (d.model() != null) {
            put(f, "checkpoint", d.model().checkpoint());
            put(f, "sha256", d.model().sha256());
            put(f, "architecture", d.model().arch());
            put(f, "load", d.model().loadReport());
        }
        if (d.data() != null) {
            put(f, "data", d.data().name());
            put(f, "trigger", d.data().trigger() == null ? null
                    : d.data().trigger() + " → class " + d.data().target());
        }
        if (d.quantization() != null) {
            Object scheme = d.quantization().get("scheme");
            put(f, "quantization", scheme == null ? d.quantization().toString() : scheme.toString());
        }
        put(f, "method", d.method());
        if (d.der() != null) {
            put(f, "DER", String.format(Locale.ROOT, "%.2f", d.der()));
        }
        if (d.provenance() != null) {
            put(f, "run", "lac4j " + d.provenance().lac4jVersion() + ", DJL " + d.provenance().djlVersion()
                    + ", torch " + d.provenance().torchVersion() + ", Java " + d.provenance().javaVersion()
                    + ", seed " + d.provenance().seed() + ", " + d.provenance().startedAt());
            Map<String, Object> e = d.provenance().engine();
            if (e != null) {
                put(f, "engine", "kernels " + e.get("kernels") + " (oneDNN " + e.get("onednn_version") + ", ISA " + e.get("onednn_isa")
                        + "), self-check " + e.get("self_check") + (e.containsKey("fallback") ? "; " + e.get("fallback") : ""));
            }
        }
        return f;
    }

    private static void put(Map<String, String> f, String k, String v) {
        if (v != null && !v.isEmpty()) {
            f.put(k, v);
        }
    }

    /** Metrics table: header then one row per phase. */
    static List<String[]> phaseRows(Map<String, ResultDocument.Phase> phases) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"phase", "CDA %", "ASR %", "ASR-no-target %", "top-5 %", "n", "time"});
        phases.forEach((name, p) -> rows.add(new String[] {name, pct(p.cda()), pct(p.asr()), pct(p.asrNoTarget()),
                pct(p.top5()), Long.toString(p.n()), seconds(p.seconds())}));
        return rows;
    }

    /** Unit table: header then one row per unit. */
    static List<String[]> unitRows(List<UnitCurve> curves, boolean sparkline) {
        List<String[]> rows = new ArrayList<>();
        rows.add(sparkline ? new String[] {"unit", "iterations", "first loss", "last loss", "last / first", "curve"}
                : new String[] {"unit", "iterations", "first loss", "last loss", "last / first"});
        for (UnitCurve u : curves) {
            double ratio = u.first() == 0 ? Double.NaN : u.last() / u.first();
            String[] r = {u.name(), Integer.toString(u.losses().length), num(u.first()), num(u.last()),
                    String.format(Locale.ROOT, "%.3f", ratio), sparkline(u.losses(), 24)};
            rows.add(sparkline ? r : java.util.Arrays.copyOf(r, 5));
        }
        return rows;
    }

    /** Drift table: layer, bits, then clean / triggered / ratio per profile. */
    static List<String[]> driftRows(List<DriftProfile> profiles) {
        List<String[]> rows = new ArrayList<>();
        List<String> head = new ArrayList<>(List.of("#", "layer", "bits"));
        for (DriftProfile p : profiles) {
            head.add("clean (" + p.phase() + ")");
            if (p.hasTriggered()) {
                head.add("triggered (" + p.phase() + ")");
                head.add("trig/clean");
            }
        }
        rows.add(head.toArray(String[]::new));
        int n = profiles.get(0).layers().size();
        for (int i = 0; i < n; i++) {
            LayerDrift first = profiles.get(0).layers().get(i);
            List<String> r = new ArrayList<>(List.of(Integer.toString(i), first.layer(), Integer.toString(first.bits())));
            for (DriftProfile p : profiles) {
                LayerDrift l = i < p.layers().size() ? p.layers().get(i) : null;
                r.add(l == null ? "" : String.format(Locale.ROOT, "%.4f", l.clean()));
                if (p.hasTriggered()) {
                    r.add(l == null ? "" : String.format(Locale.ROOT, "%.4f", l.triggered()));
                    r.add(l == null || l.ratio() == null ? "–" : String.format(Locale.ROOT, "%.2f", l.ratio()));
                }
            }
            rows.add(r.toArray(String[]::new));
        }
        return rows;
    }

    /** A unicode sparkline of {@code v} (log scale when all positive), {@code width} buckets. */
    static String sparkline(float[] v, int width) {
        if (v.length == 0) {
            return "";
        }
        int w = Math.min(width, v.length);
        double[] b = new double[w];
        boolean positive = true;
        for (float f : v) {
            positive &= f > 0;
        }
        for (int k = 0; k < w; k++) {
            int from = (int) ((long) k * v.length / w);
            int to = (int) ((long) (k + 1) * v.length / w);
            double s = 0;
            int c = 0;
            for (int i = from; i < to; i++) {
                if (Float.isFinite(v[i])) {
                    s += positive ? Math.log(v[i]) : v[i];
                    c++;
                }
            }
            b[k] = c == 0 ? Double.NaN : s / c;
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double d : b) {
            if (Double.isFinite(d)) {
                lo = Math.min(lo, d);
                hi = Math.max(hi, d);
            }
        }
        StringBuilder sb = new StringBuilder();
        for (double d : b) {
            if (!Double.isFinite(d)) {
                sb.append(' ');
            } else {
                int i = hi == lo ? 0 : (int) Math.round((d - lo) / (hi - lo) * (BLOCKS.length - 1));
                sb.append(BLOCKS[i]);
            }
        }
        return sb.toString();
    }

    /** The phase DER compares naive PTQ with: the last one (purified, or lac_pda in the demo). */
    static String lastPhase(ResultDocument d) {
        String last = "purified";
        for (String k : d.phases().keySet()) {
            last = k;
        }
        return last;
    }

    /** The scan's per-class rows (header first). */
    static List<String[]> scanRows(ResultDocument.ScanSection scan) {
        List<String[]> rows = new java.util.ArrayList<>();
        ResultDocument.ScanClass first = scan.classes().get(0);
        boolean draws = first.drawScores() != null;
        String[] header = {"class", "score", "anomaly index", "flip (quantized)", "flip (FP)", "FP-only flip (FP)",
                "FP-only flip (quantized)", "FP-only anomaly index", "mask area"};
        rows.add(draws ? append(header, "draw kept (of " + first.drawScores().size() + ")") : header);
        for (ResultDocument.ScanClass c : scan.classes()) {
            String[] row = {(c.cls() == scan.suspect() ? "→ " : "") + c.cls(), pct(c.score()), num(c.anomalyIndex()),
                    pct(c.flipQuantized()), pct(c.flipFp()), pct(c.fpOnlyFlip()),
                    c.fpOnlyFlipQuantized() == null ? "–" : pct(c.fpOnlyFlipQuantized()), num(c.fpOnlyAnomalyIndex()),
                    pct(c.area())};
            rows.add(draws ? append(row, c.draw() == null ? "–" : String.valueOf(c.draw())) : row);
        }
        return rows;
    }

    /** What the refinement of the verdict's pattern reached, one sentence (null when there was none). */
    static String scanRefined(ResultDocument.ScanSection scan) {
        ResultDocument.ScanRefined r = scan.refined();
        return r == null ? null : "Recovered pattern (class " + r.cls() + ", refined " + r.steps() + " more steps" + r.keptNote() + "): flips "
                + pct(r.flipQuantized()) + " % of the quantized model's predictions and " + pct(r.flipFp())
                + " % of the FP model's (mask " + pct(r.area()) + " % of the image).";
    }

    /** One row per ONNX file checked in ONNX Runtime (header first). */
    static List<String[]> onnxRows(Map<String, ResultDocument.OnnxCheck> checks) {
        List<String[]> rows = new java.util.ArrayList<>();
        rows.add(new String[] {"phase", "file", "runtime", "CDA", "ASR", "ASR-nt", "largest difference", "predictions differing"});
        checks.forEach((phase, c) -> {
            int n = c.images().values().stream().mapToInt(Integer::intValue).sum();
            int differ = c.disagreements().values().stream().mapToInt(Integer::intValue).sum();
            rows.add(new String[] {phase, c.file(), c.runtime(), pct(c.onnxRuntime().cda()), pct(c.onnxRuntime().asr()),
                    pct(c.onnxRuntime().asrNoTarget()), num(c.largestDifference()), differ + " of " + n});
        });
        return rows;
    }

    /** {@code range_sweep}: one row per defended phase and factor. */
    static List<String[]> rangeSweepRows(Map<String, List<ResultDocument.RangePoint>> sweep) {
        List<String[]> rows = new java.util.ArrayList<>();
        rows.add(new String[] {"phase", "activation ranges", "CDA", "ASR", "ASR-nt"});
        sweep.forEach((phase, points) -> points.forEach(p -> rows.add(new String[] {phase,
                String.format(java.util.Locale.ROOT, "x%.3f", p.factor()), pct(p.cda()), pct(p.asr()), pct(p.asrNoTarget())})));
        return rows;
    }

    /** {@code requantized}: one row per defended phase. */
    static List<String[]> requantizedRows(Map<String, ResultDocument.Requantized> requantized) {
        List<String[]> rows = new java.util.ArrayList<>();
        rows.add(new String[] {"phase", "CDA", "ASR", "ASR-nt", "activation scales vs defended (min / median / max)"});
        requantized.forEach((phase, q) -> rows.add(new String[] {phase, pct(q.cda()), pct(q.asr()), pct(q.asrNoTarget()),
                String.format(java.util.Locale.ROOT, "x%.3f / x%.3f / x%.3f", q.scaleRatioMin(), q.scaleRatioMedian(),
                        q.scaleRatioMax())}));
        return rows;
    }

    static final String REQUANTIZED_NOTE = "The exported checkpoint (on-grid weights) quantized again on the same"
            + " calibration images, as your own PTQ of the .pth would. Its ranges come from the on-grid weights' activations,"
            + " so they can differ from the ranges the defense evaluated with; deploy the ONNX export to keep those.";

    static final String RANGE_SWEEP_NOTE = "The defended model evaluated again with every per-tensor activation range scaled"
            + " by the factor (weights and zero points unchanged): a deployment whose calibration finds slightly different"
            + " ranges. A backdoor that only sleeps at the calibrated ranges shows here.";

    private static String[] append(String[] row, String cell) {
        String[] out = java.util.Arrays.copyOf(row, row.length + 1);
        out[row.length] = cell;
        return out;
    }
}
