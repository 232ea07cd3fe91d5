package io.lac4j.report;

import io.lac4j.eval.DriftProfile;
import io.lac4j.eval.DriftVerdict;
import io.lac4j.pipeline.ResultDocument;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code report.html}: one self-contained page (inline CSS, charts as PNG data URIs, no scripts, no
 * external resources) with the run's facts, the metrics per phase, per-unit loss curves and the
 * per-layer activation drift.
 */
public final class HtmlReport {
    private static final String CSS = """
            body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:2em auto;\
            max-width:1100px;color:#212121;line-height:1.45;padding:0 1em}
            h1{font-size:1.6em;margin-bottom:.2em}h2{margin-top:1.8em;border-bottom:1px solid #ddd;padding-bottom:.2em}
            table{border-collapse:collapse;margin:.8em 0;font-size:.92em}
            th,td{border:1px solid #ddd;padding:.25em .6em}th{background:#f5f5f5;text-align:left}
            td.n{text-align:right;font-variant-numeric:tabular-nums}
            dl.facts{display:grid;grid-template-columns:max-content auto;gap:.15em 1em}
            dl.facts dt{font-weight:600}dl.facts dd{margin:0;word-break:break-all}
            img.chart{max-width:100%;height:auto;border:1px solid #eee}figure img{image-rendering:pixelated;border:1px solid #eee}
            .grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:8px}
            .verdict{padding:.5em .8em;border-left:4px solid #9e9e9e;background:#fafafa;margin:.4em 0}
            .SUSPICIOUS{border-color:#c62828}.ELEVATED{border-color:#ef6c00}.NO_SIGNAL{border-color:#2e7d32}
            .note{color:#616161;font-size:.9em}
            """;

    private HtmlReport() {}

    public static String render(ReportInput in) {
        ResultDocument d = in.document();
        StringBuilder sb = new StringBuilder(64 * 1024);
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
                .append("<title>").append(esc(in.title())).append("</title><style>").append(CSS).append("</style></head>\n<body>\n");
        sb.append("<h1>").append(esc(in.title())).append("</h1>\n<dl class=\"facts\">\n");
        for (Map.Entry<String, String> f : ReportText.facts(d).entrySet()) {
            sb.append("<dt>").append(esc(f.getKey())).append("</dt><dd>").append(esc(f.getValue())).append("</dd>\n");
        }
        sb.append("</dl>\n");
        if (!d.phases().isEmpty()) {
            sb.append("<h2 id=\"metrics\">Metrics per phase</h2>\n");
            sb.append("<p class=\"note\">CDA: clean accuracy. ASR: triggered images classified as the target (all images);"
                    + " ASR-no-target: the same over images whose true class is not the target. Percentages, 0–100.</p>\n");
            table(sb, ReportText.phaseRows(d.phases()));
            if (d.der() != null) {
                sb.append("<p>DER (naive_ptq → " + ReportText.lastPhase(d) + "): <b>").append(String.format(Locale.ROOT, "%.2f", d.der())).append("</b></p>\n");
            }
            img(sb, Charts.phases(d.phases()), "CDA, ASR and ASR-no-target per phase");
        }
        if (d.onnxCheck() != null) {
            sb.append("<h2 id=\"onnx\">ONNX export in ONNX Runtime</h2>\n");
            sb.append("<p class=\"note\">Each exported file run by ONNX Runtime on the same images as lac4j's evaluation of"
                    + " the same model; predictions compared image by image.</p>\n");
            table(sb, ReportText.onnxRows(d.onnxCheck()));
        }
        if (d.rangeSweep() != null) {
            sb.append("<h2 id=\"range-sweep\">Activation ranges scaled</h2>\n<p class=\"note\">")
                    .append(ReportText.RANGE_SWEEP_NOTE).append("</p>\n");
            table(sb, ReportText.rangeSweepRows(d.rangeSweep()));
        }
        if (d.requantized() != null) {
            sb.append("<h2 id=\"requantized\">Exported checkpoint quantized again</h2>\n<p class=\"note\">")
                    .append(ReportText.REQUANTIZED_NOTE).append("</p>\n");
            table(sb, ReportText.requantizedRows(d.requantized()));
        }
        if (d.scan() != null) {
            ResultDocument.ScanSection s = d.scan();
            sb.append("<h2 id=\"scan\">Trigger-free scan</h2>\n");
            sb.append("<div class=\"verdict ").append(s.target() == null ? "NO_SIGNAL" : "SUSPICIOUS").append("\"><b>")
                    .append(esc(s.verdict())).append("</b></div>\n");
            if (s.fpLean() != null) {
                sb.append("<p>").append(esc(s.fpLeanNote())).append("</p>\n");
            }
            sb.append("<p class=\"note\">Per class: a mask and pattern optimised on clean images to flip the quantized model to"
                    + " the class while the FP model keeps its prediction; flip rates on ").append(s.heldOutImages())
                    .append(" held-out clean images (%). Score = flip (quantized) − flip (FP); anomaly index = robust z-score over"
                    + " classes. FP-only: the same search against the FP model alone.</p>\n");
            table(sb, ReportText.scanRows(s));
            if (s.secondLook() != null) {
                sb.append("<p>").append(esc(s.secondLookNote())).append("</p>\n");
            }
            if (s.refined() != null) {
                sb.append("<p>").append(esc(ReportText.scanRefined(s))).append("</p>\n");
            }
            if (s.images() != null) {
                s.images().forEach((role, file) -> sb.append("<figure><img alt=\"recovered pattern, class ").append(s.suspect())
                        .append("\" src=\"").append(esc(file)).append("\"><figcaption>recovered pattern (mask × pattern), class ")
                        .append(s.suspect()).append("</figcaption></figure>\n"));
            }
            if (s.residual().size() > 1) {
                sb.append("<p>Trigger-free residual (the class ").append(s.suspect()).append(" pattern's flip rate): ");
                s.residual().forEach((phase, r) -> sb.append(esc(phase)).append(" ").append(ReportText.pct(r)).append(" %; "));
                sb.append("</p>\n");
            }
        }
        if (!in.curves().isEmpty()) {
            sb.append("<h2 id=\"reconstruction\">Reconstruction loss per unit</h2>\n");
            sb.append("<p class=\"note\">Loss per iteration (log scale when a curve spans more than a decade), one chart per unit in graph order.</p>\n");
            sb.append("<div class=\"grid\">\n");
            for (UnitCurve u : in.curves()) {
                img(sb, Charts.unitLoss(u), "reconstruction loss of " + u.name());
            }
            sb.append("</div>\n");
            table(sb, ReportText.unitRows(in.curves(), false));
        }
        if (!in.drift().isEmpty()) {
            sb.append("<h2 id=\"drift\">Activation drift, FP vs quantized</h2>\n");
            sb.append("<p class=\"note\">Mean over images of ‖a<sub>q</sub> − a<sub>fp</sub>‖ / ‖a<sub>fp</sub>‖ at each"
                    + " activation quantizer, same inputs to both models. A quantization-conditioned backdoor drifts much"
                    + " more on triggered than on clean inputs in deep layers. The verdict is a heuristic.</p>\n");
            for (DriftProfile p : in.drift()) {
                DriftVerdict v = DriftVerdict.of(p);
                sb.append("<div class=\"verdict ").append(v.level()).append("\"><b>").append(esc(p.phase())).append("</b> (")
                        .append(p.images()).append(" images): <b>").append(v.level()).append("</b> — ")
                        .append(esc(v.reason())).append("</div>\n");
            }
            img(sb, Charts.drift(in.drift()), "activation drift per layer");
            table(sb, ReportText.driftRows(in.drift()));
        }
        if (d.timings() != null && !d.timings().isEmpty()) {
            sb.append("<h2 id=\"timings\">Timings</h2>\n<table>");
            d.timings().forEach((k, s) -> sb.append("<tr><td>").append(esc(k)).append("</td><td class=\"n\">")
                    .append(esc(ReportText.seconds(s))).append("</td></tr>"));
            sb.append("</table>\n");
        }
        sb.append("<p class=\"note\">Schema ").append(esc(String.valueOf(d.schema())))
                .append("; the same numbers are in results.json and report.md.</p>\n</body></html>\n");
        return sb.toString();
    }

    private static void img(StringBuilder sb, byte[] png, String alt) {
        sb.append("<img class=\"chart\" alt=\"").append(esc(alt)).append("\" src=\"").append(Charts.dataUri(png)).append("\">\n");
    }

    private static void table(StringBuilder sb, List<String[]> rows) {
        sb.append("<table>\n<tr>");
        for (String h : rows.get(0)) {
            sb.append("<th>").append(esc(h)).append("</th>");
        }
        sb.append("</tr>\n");
        for (String[] r : rows.subList(1, rows.size())) {
            sb.append("<tr>");
            for (int c = 0; c < r.length; c++) {
                sb.append(numeric(r[c]) ? "<td class=\"n\">" : "<td>").append(esc(r[c])).append("</td>");
            }
            sb.append("</tr>\n");
        }
        sb.append("</table>\n");
    }

    private static boolean numeric(String s) {
        return s.matches("[-+]?[0-9.,eE+\\-–]+( s)?") || s.isEmpty();
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }
}
