package io.lac4j.report;

import io.lac4j.eval.DriftProfile;
import io.lac4j.eval.DriftVerdict;
import io.lac4j.pipeline.ResultDocument;
import java.util.List;
import java.util.Map;

/**
 * {@code report.md}: the same facts, tables and verdicts as the HTML report, as GitHub-flavoured
 * Markdown; loss curves are unicode sparklines, and the charts are in {@code report.html}.
 */
public final class MarkdownReport {
    private MarkdownReport() {}

    public static String render(ReportInput in) {
        ResultDocument d = in.document();
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(in.title()).append("\n\n");
        for (Map.Entry<String, String> f : ReportText.facts(d).entrySet()) {
            sb.append("- **").append(f.getKey()).append("**: ").append(cell(f.getValue())).append('\n');
        }
        sb.append("\nCharts: see `report.html` next to this file. Percentages are 0–100.\n");
        if (!d.phases().isEmpty()) {
            sb.append("\n## Metrics per phase\n\n");
            table(sb, ReportText.phaseRows(d.phases()));
            if (d.der() != null) {
                sb.append("\nDER (naive_ptq → " + ReportText.lastPhase(d) + "): ").append(String.format(java.util.Locale.ROOT, "%.2f", d.der())).append('\n');
            }
        }
        if (d.onnxCheck() != null) {
            sb.append("\n## ONNX export in ONNX Runtime\n\n");
            table(sb, ReportText.onnxRows(d.onnxCheck()));
        }
        if (d.rangeSweep() != null) {
            sb.append("\n## Activation ranges scaled\n\n").append(ReportText.RANGE_SWEEP_NOTE).append("\n\n");
            table(sb, ReportText.rangeSweepRows(d.rangeSweep()));
        }
        if (d.requantized() != null) {
            sb.append("\n## Exported checkpoint quantized again\n\n").append(ReportText.REQUANTIZED_NOTE).append("\n\n");
            table(sb, ReportText.requantizedRows(d.requantized()));
        }
        if (d.scan() != null) {
            sb.append("\n## Trigger-free scan\n\n**").append(d.scan().verdict()).append("**\n\n");
            if (d.scan().fpLean() != null) {
                sb.append(d.scan().fpLeanNote()).append("\n\n");
            }
            table(sb, ReportText.scanRows(d.scan()));
            if (d.scan().secondLook() != null) {
                sb.append('\n').append(d.scan().secondLookNote()).append('\n');
            }
            if (d.scan().refined() != null) {
                sb.append('\n').append(ReportText.scanRefined(d.scan())).append('\n');
            }
            if (d.scan().residual().size() > 1) {
                sb.append("\nTrigger-free residual (class ").append(d.scan().suspect()).append(" pattern's flip rate, %): ");
                d.scan().residual().forEach((phase, r) -> sb.append(phase).append(' ').append(ReportText.pct(r)).append("; "));
                sb.append('\n');
            }
        }
        if (!in.curves().isEmpty()) {
            sb.append("\n## Reconstruction loss per unit\n\n");
            table(sb, ReportText.unitRows(in.curves(), true));
        }
        if (!in.drift().isEmpty()) {
            sb.append("\n## Activation drift, FP vs quantized\n\n");
            sb.append("Mean over images of ‖a_q − a_fp‖ / ‖a_fp‖ at each activation quantizer (0 = identical).\n\n");
            for (DriftProfile p : in.drift()) {
                DriftVerdict v = DriftVerdict.of(p);
                sb.append("- **").append(p.phase()).append("** (").append(p.images()).append(" images): `")
                        .append(v.level()).append("` — ").append(cell(v.reason())).append('\n');
            }
            sb.append("\nThe verdict is a heuristic (see docs/inspect-drift.md).\n\n");
            table(sb, ReportText.driftRows(in.drift()));
        }
        if (d.timings() != null && !d.timings().isEmpty()) {
            sb.append("\n## Timings\n\n");
            d.timings().forEach((k, s) -> sb.append("- ").append(k).append(": ").append(ReportText.seconds(s)).append('\n'));
        }
        return sb.toString();
    }

    private static void table(StringBuilder sb, List<String[]> rows) {
        for (int r = 0; r < rows.size(); r++) {
            sb.append('|');
            for (String c : rows.get(r)) {
                sb.append(' ').append(cell(c)).append(" |");
            }
            sb.append('\n');
            if (r == 0) {
                sb.append('|');
                String[] first = rows.size() > 1 ? rows.get(1) : rows.get(0);
                for (int c = 0; c < rows.get(0).length; c++) {
                    sb.append(c < first.length && first[c].matches("[-+]?[0-9.,eE+\\-–]+( s)?") ? " ---: |" : " --- |");
                }
                sb.append('\n');
            }
        }
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }
}
