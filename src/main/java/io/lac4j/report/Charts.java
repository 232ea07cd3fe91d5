package io.lac4j.report;

import io.lac4j.eval.DriftProfile;
import io.lac4j.eval.LayerDrift;
import io.lac4j.pipeline.ComparisonRow;
import io.lac4j.pipeline.ResultDocument;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's charts, drawn with XChart and returned as PNG bytes (headless AWT): metrics per
 * phase, per-unit loss curves, per-layer activation drift, the defense comparison. Nothing here
 * touches files.
 */
public final class Charts {
    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private static final Color CDA = new Color(0x2E7D32);
    private static final Color ASR = new Color(0xC62828);
    private static final Color ASR_NT = new Color(0xEF6C00);
    private static final Color CLEAN = new Color(0x1565C0);
    private static final Color TRIGGERED = new Color(0xC62828);
    private static final int MAX_POINTS = 400;

    private Charts() {}

    /** Grouped bars: CDA, ASR and ASR-no-target (0–100 %) for each phase, in phase order. */
    public static byte[] phases(Map<String, ResultDocument.Phase> phases) {
        CategoryChart c = new CategoryChartBuilder().width(760).height(380)
                .title("Accuracy and attack success per phase").yAxisTitle("%").xAxisTitle("phase").build();
        style(c.getStyler());
        c.getStyler().setYAxisMin(0.0).setYAxisMax(100.0);
        c.getStyler().setLabelsVisible(true);
        c.getStyler().setLabelsFont(c.getStyler().getAxisTickLabelsFont().deriveFont(10f));
        c.getStyler().setLabelsPosition(0.95);
        c.getStyler().setYAxisDecimalPattern("0");
        List<String> names = new ArrayList<>(phases.keySet());
        List<Double> cda = new ArrayList<>();
        List<Double> asr = new ArrayList<>();
        List<Double> nt = new ArrayList<>();
        boolean trigger = false;
        for (ResultDocument.Phase p : phases.values()) {
            cda.add(p.cda());
            asr.add(p.asr() == null ? 0.0 : p.asr());
            nt.add(p.asrNoTarget() == null ? 0.0 : p.asrNoTarget());
            trigger |= p.asr() != null;
        }
        c.addSeries("CDA", names, cda).setFillColor(CDA);
        if (trigger) {
            c.addSeries("ASR", names, asr).setFillColor(ASR);
            c.addSeries("ASR-no-target", names, nt).setFillColor(ASR_NT);
        }
        return png(c);
    }

    /** One small chart of a unit's reconstruction loss per iteration (log y when it spans a decade). */
    public static byte[] unitLoss(UnitCurve u) {
        XYChart c = new XYChartBuilder().width(300).height(190).title(u.name()).build();
        style(c.getStyler());
        c.getStyler().setLegendVisible(false);
        c.getStyler().setChartTitleFont(c.getStyler().getChartTitleFont().deriveFont(12f));
        c.getStyler().setAxisTickLabelsFont(c.getStyler().getAxisTickLabelsFont().deriveFont(9f));
        float[] l = u.losses();
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        boolean positive = true;
        int stride = Math.max(1, (l.length + MAX_POINTS - 1) / MAX_POINTS);
        for (int i = 0; i < l.length; i++) {
            if ((i % stride == 0 || i == l.length - 1) && Float.isFinite(l[i])) {
                xs.add((double) i);
                ys.add((double) l[i]);
                positive &= l[i] > 0;
            }
        }
        if (xs.isEmpty()) {
            xs.add(0.0);
            ys.add(0.0);
            positive = false;
        }
        double lo = ys.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        double hi = ys.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        boolean log = positive && hi / lo >= 10;              // log only when the curve spans a decade
        c.getStyler().setYAxisLogarithmic(log);
        c.getStyler().setYAxisDecimalPattern(log ? "0.0E0" : hi < 0.01 ? "0.0E0" : "0.###");
        XYSeries s = c.addSeries("loss", xs, ys);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(CLEAN);
        s.setLineWidth(1.2f);
        return png(c);
    }

    /**
     * Relative activation drift per layer, clean (blue) and triggered (red); the first profile
     * solid, later ones (e.g. purified) dashed.
     */
    public static byte[] drift(List<DriftProfile> profiles) {
        if (profiles.isEmpty()) {
            throw new IllegalArgumentException("drift chart: expected at least one profile, got none");
        }
        List<String> layers = profiles.get(0).layers().stream().map(LayerDrift::layer).toList();
        CategoryChart c = new CategoryChartBuilder().width(1000).height(430 + 6 * longest(layers))
                .title("Activation drift ||a_q - a_fp|| / ||a_fp|| per layer").yAxisTitle("relative L2 drift").build();
        style(c.getStyler());
        c.getStyler().setDefaultSeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
        c.getStyler().setOverlapped(true);
        c.getStyler().setXAxisLabelRotation(90);
        c.getStyler().setYAxisMin(0.0);
        c.getStyler().setYAxisDecimalPattern("0.00");
        c.getStyler().setAxisTickLabelsFont(c.getStyler().getAxisTickLabelsFont().deriveFont(10f));
        for (int k = 0; k < profiles.size(); k++) {
            DriftProfile p = profiles.get(k);
            List<String> names = p.layers().stream().map(LayerDrift::layer).toList();
            BasicStroke stroke = k == 0 ? new BasicStroke(2f)
                    : new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {6f, 4f}, 0f);
            CategorySeries cs = c.addSeries("clean (" + p.phase() + ")", names,
                    p.layers().stream().map(LayerDrift::clean).toList());
            cs.setLineColor(CLEAN);
            cs.setMarkerColor(CLEAN);
            cs.setLineStyle(stroke);
            cs.setMarker(k == 0 ? SeriesMarkers.CIRCLE : SeriesMarkers.DIAMOND);
            if (p.hasTriggered()) {
                CategorySeries ts = c.addSeries("triggered (" + p.phase() + ")", names,
                        p.layers().stream().map(LayerDrift::triggered).toList());
                ts.setLineColor(TRIGGERED);
                ts.setMarkerColor(TRIGGERED);
                ts.setLineStyle(stroke);
                ts.setMarker(k == 0 ? SeriesMarkers.CIRCLE : SeriesMarkers.DIAMOND);
            }
        }
        return png(c);
    }

    /**
     * Grouped bars per defense: CDA and ASR-no-target for each bit width, with ±std error bars;
     * {@code widths} names a bit width as deployed ({@code W4A4}, {@code W4A8}).
     */
    public static byte[] comparison(List<ComparisonRow> rows, java.util.function.IntFunction<String> widths) {
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
            String w = widths.apply(b);
            addComparisonSeries(c, "CDA " + w, x, rows, b, true);
            if (rows.stream().anyMatch(r -> r.asrNoTarget() != null)) {
                addComparisonSeries(c, "ASR-nt " + w, x, rows, b, false);
            }
        }
        return png(c);
    }

    private static void addComparisonSeries(CategoryChart c, String name, List<String> x, List<ComparisonRow> rows, int bits, boolean cda) {
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

    /** {@code data:image/png;base64,…} for embedding. */
    public static String dataUri(byte[] png) {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(png);
    }

    private static int longest(List<String> names) {
        return names.stream().mapToInt(String::length).max().orElse(0);
    }

    private static void style(org.knowm.xchart.style.AxesChartStyler s) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderVisible(false);
        s.setPlotGridLinesColor(new Color(0xE0E0E0));
        s.setLegendPosition(Styler.LegendPosition.OutsideS);
        s.setLegendLayout(Styler.LegendLayout.Horizontal);
        s.setLegendBorderColor(Color.WHITE);
        s.setAntiAlias(true);
    }

    private static byte[] png(Chart<?, ?> chart) {
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("chart '" + chart.getTitle() + "': PNG encoding failed", e);
        }
    }
}
