package io.lac4j.report;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/** The comparison table as Markdown, CSV, JSON and a PNG chart (CDA and ASR-no-target per defense). */
public final class ComparisonReport {
    public static final String MARKDOWN = "compare.md";
    public static final String CSV = "compare.csv";
    public static final String JSON = "compare.json";
    public static final String CHART = "compare.png";

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private ComparisonReport() {}

    /** Writes the four files into {@code dir} (each atomically) and returns their paths. */
    public static List<Path> writeAll(Path dir, ComparisonDocument doc, String commandLine) throws IOException {
        List<Path> out = List.of(dir.resolve(MARKDOWN), dir.resolve(CSV), dir.resolve(JSON), dir.resolve(CHART));
        ResultFile.Atomic.writeString(out.get(0), markdown(doc, commandLine));
        ResultFile.Atomic.writeString(out.get(1), csv(doc.rows()));
        ResultFile.Atomic.writeString(out.get(2), ResultFile.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(doc) + "\n");
        ResultFile.Atomic.write(out.get(3), chart(doc.rows()));
        return out;
    }

    public static String markdown(ComparisonDocument doc, String commandLine) {
        StringBuilder b = new StringBuilder("# Defense comparison\n\n");
        if (doc.model() != null) {
            b.append("Model: `").append(doc.model().checkpoint()).append("` (").append(doc.model().arch()).append(")\n\n");
        }
        if (commandLine != null) {
            b.append("Command: `").append(commandLine).append("`\n\n");
        }
        b.append("Mean ± std over seeds (sample std). CDA, ASR (all triggered images), ASR-nt (no target-class images)"
                + " and DER (naive PTQ → defense) in %, wall time in s.\n\n");
        b.append(table(doc.rows()));
        return b.toString();
    }

    /** The Markdown table alone (also what the CLI prints). */
    public static String table(List<ComparisonRow> rows) {
        StringBuilder b = new StringBuilder("| defense | bits | seeds | CDA | ASR | ASR-nt | DER | time (s) |\n");
        b.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (ComparisonRow r : rows) {
            b.append("| ").append(r.defense()).append(" | ").append(r.bits()).append(" | ").append(r.seeds())
                    .append(" | ").append(fmt(r.cda())).append(" | ").append(fmt(r.asr())).append(" | ")
                    .append(fmt(r.asrNoTarget())).append(" | ").append(fmt(r.der())).append(" | ")
                    .append(fmt(r.seconds())).append(" |\n");
        }
        return b.toString();
    }

    public static String csv(List<ComparisonRow> rows) {
        StringBuilder b = new StringBuilder("defense,bits,seeds,cda_mean,cda_std,asr_mean,asr_std,asr_no_target_mean,"
                + "asr_no_target_std,der_mean,der_std,seconds_mean,seconds_std\n");
        for (ComparisonRow r : rows) {
            b.append(r.defense()).append(',').append(r.bits()).append(',').append(r.seeds());
            for (ComparisonRow.Stat s : new ComparisonRow.Stat[] {r.cda(), r.asr(), r.asrNoTarget(), r.der(), r.seconds()}) {
                b.append(',').append(s == null ? "" : num(s.mean())).append(',').append(s == null ? "" : num(s.std()));
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** Grouped bars per defense: CDA and ASR-no-target for each bit width, with ±std error bars. */
    public static byte[] chart(List<ComparisonRow> rows) {
        CategoryChart c = new CategoryChartBuilder().width(900).height(420)
                .title("Defenses: clean accuracy and attack success (mean ± std over seeds)").yAxisTitle("%").build();
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setPlotBackgroundColor(Color.WHITE);
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        c.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        c.getStyler().setYAxisMin(0.0).setYAxisMax(100.0);
        c.getStyler().setErrorBarsColor(Color.DARK_GRAY);
        Set<String> defenses = new LinkedHashSet<>();
        Set<Integer> bits = new LinkedHashSet<>();
        rows.forEach(r -> {
            defenses.add(r.defense());
            bits.add(r.bits());
        });
        List<String> x = new ArrayList<>(defenses);
        for (int b : bits) {
            addSeries(c, "CDA W" + b + "A" + b, x, rows, b, true);
            if (rows.stream().anyMatch(r -> r.asrNoTarget() != null)) {
                addSeries(c, "ASR-nt W" + b + "A" + b, x, rows, b, false);
            }
        }
        try {
            return BitmapEncoder.getBitmapBytes(c, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("comparison chart: PNG encoding failed", e);
        }
    }

    private static void addSeries(CategoryChart c, String name, List<String> x, List<ComparisonRow> rows, int bits, boolean cda) {
        List<Double> y = new ArrayList<>();
        List<Double> err = new ArrayList<>();
        for (String d : x) {
            ComparisonRow.Stat s = rows.stream().filter(r -> r.bits() == bits && r.defense().equals(d))
                    .map(r -> cda ? r.cda() : r.asrNoTarget()).findFirst().orElse(null);
            y.add(s == null ? 0.0 : s.mean());
            err.add(s == null ? 0.0 : s.std());
        }
        c.addSeries(name, x, y, err);
    }

    private static String fmt(ComparisonRow.Stat s) {
        return s == null ? "–" : s.format();
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
