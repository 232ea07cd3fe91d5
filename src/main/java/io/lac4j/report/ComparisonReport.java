package io.lac4j.report;

import io.lac4j.io.AtomicFile;
import io.lac4j.io.Json;
import io.lac4j.pipeline.ComparisonDocument;
import io.lac4j.pipeline.ComparisonRow;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The comparison table as Markdown, CSV, JSON and a PNG chart (CDA and ASR-no-target per defense). */
public final class ComparisonReport {
    public static final String MARKDOWN = "compare.md";
    public static final String CSV = "compare.csv";
    public static final String JSON = "compare.json";
    public static final String CHART = "compare.png";

    private ComparisonReport() {}

    /** Writes the four files into {@code dir} (each atomically) and returns their paths. */
    public static List<Path> writeAll(Path dir, ComparisonDocument doc, String commandLine) throws IOException {
        List<Path> out = List.of(dir.resolve(MARKDOWN), dir.resolve(CSV), dir.resolve(JSON), dir.resolve(CHART));
        AtomicFile.writeString(out.get(0), markdown(doc, commandLine));
        AtomicFile.writeString(out.get(1), csv(doc.rows()));
        AtomicFile.writeString(out.get(2), json(doc));
        AtomicFile.write(out.get(3), Charts.comparison(doc.rows(), b -> widths(doc, b)));
        return out;
    }

    /** {@code W4A4}: bit width {@code b} as the comparison deployed it (settings.widths), W{@code b}A{@code b} if unsaid. */
    static String widths(ComparisonDocument doc, int b) {
        Object named = doc.settings() == null ? null : doc.settings().get("widths");
        Object w = named instanceof Map<?, ?> m ? m.get(String.valueOf(b)) : null;
        return w != null ? w.toString() : "W" + b + "A" + b;
    }

    /** The document as pretty-printed JSON (schema {@code lac4j.compare/1}). */
    public static String json(ComparisonDocument doc) throws IOException {
        return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(doc) + "\n";
    }

    public static String markdown(ComparisonDocument doc, String commandLine) {
        StringBuilder b = new StringBuilder("# Defense comparison\n\n");
        if (doc.model() != null) {
            b.append("Model: `").append(doc.model().checkpoint()).append("` (").append(doc.model().arch()).append(")\n\n");
        }
        if (commandLine != null) {
            b.append("Command: `").append(commandLine).append("`\n\n");
        }
        if (doc.settings() != null && doc.settings().get("deployment") != null) {
            b.append("Deployment quantizer (naive PTQ and every PTQ defense): ").append(doc.settings().get("deployment"));
            b.append(doc.rows().stream().map(ComparisonRow::bits).distinct().map(bits -> "bits " + bits + " = " + widths(doc, bits))
                    .collect(java.util.stream.Collectors.joining(", ", " (", ")")));
            b.append("\n\n");
        }
        b.append("Mean ± std over seeds (sample std). CDA, ASR (all triggered images), ASR-nt (no target-class images)"
                + " and DER (naive PTQ → defense) in %, wall time in s."
                + (doc.rows().stream().anyMatch(r -> r.residual() != null) ? " Trigger-free residual: the flip rate (%) of the"
                        + " pattern `lac4j scan` recovered from the naive model, on the defended model — no trigger needed." : "")
                + (doc.rows().stream().anyMatch(r -> r.worstAsrNoTargetOverSweep() != null) ? " Worst ASR-nt over the range"
                        + " sweep: each run's highest ASR-nt with its activation ranges as calibrated and scaled by each factor"
                        + " of --range-sweep " + doc.settings().get("range_sweep") + "." : "")
                + "\n\n");
        b.append(table(doc.rows()));
        return b.toString();
    }

    /** The Markdown table alone (also what the CLI prints). */
    public static String table(List<ComparisonRow> rows) {
        boolean scanned = rows.stream().anyMatch(r -> r.residual() != null);
        boolean swept = rows.stream().anyMatch(r -> r.worstAsrNoTargetOverSweep() != null);
        StringBuilder b = new StringBuilder("| defense | bits | seeds | CDA | ASR | ASR-nt | DER | time (s) |"
                + (scanned ? " trigger-free residual |" : "") + (swept ? " worst ASR-nt over range sweep |" : "") + "\n");
        b.append("|---|---:|---:|---:|---:|---:|---:|---:|").append(scanned ? "---:|" : "").append(swept ? "---:|" : "")
                .append('\n');
        for (ComparisonRow r : rows) {
            b.append("| ").append(r.defense()).append(" | ").append(r.bits()).append(" | ").append(r.seeds())
                    .append(" | ").append(fmt(r.cda())).append(" | ").append(fmt(r.asr())).append(" | ")
                    .append(fmt(r.asrNoTarget())).append(" | ").append(fmt(r.der())).append(" | ")
                    .append(fmt(r.seconds())).append(" |");
            if (scanned) {
                b.append(' ').append(fmt(r.residual())).append(" |");
            }
            if (swept) {
                b.append(' ').append(fmt(r.worstAsrNoTargetOverSweep())).append(" |");
            }
            b.append('\n');
        }
        return b.toString();
    }

    public static String csv(List<ComparisonRow> rows) {
        StringBuilder b = new StringBuilder("defense,bits,seeds,cda_mean,cda_std,asr_mean,asr_std,asr_no_target_mean,"
                + "asr_no_target_std,der_mean,der_std,seconds_mean,seconds_std");
        boolean scanned = rows.stream().anyMatch(r -> r.residual() != null);
        boolean swept = rows.stream().anyMatch(r -> r.worstAsrNoTargetOverSweep() != null);
        b.append(scanned ? ",residual_mean,residual_std" : "").append(swept ? ",sweep_worst_asr_no_target_mean,sweep_worst_asr_no_target_std" : "")
                .append('\n');
        for (ComparisonRow r : rows) {
            b.append(r.defense()).append(',').append(r.bits()).append(',').append(r.seeds());
            List<ComparisonRow.Stat> stats = new java.util.ArrayList<>(java.util.Arrays.asList(r.cda(), r.asr(), r.asrNoTarget(),
                    r.der(), r.seconds()));
            if (scanned) {
                stats.add(r.residual());
            }
            if (swept) {
                stats.add(r.worstAsrNoTargetOverSweep());
            }
            for (ComparisonRow.Stat s : stats) {
                b.append(',').append(s == null ? "" : num(s.mean())).append(',').append(s == null ? "" : num(s.std()));
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static String fmt(ComparisonRow.Stat s) {
        return s == null ? "–" : s.format();
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
