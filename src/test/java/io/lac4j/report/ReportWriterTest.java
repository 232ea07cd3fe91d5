package io.lac4j.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.lac4j.eval.DriftVerdict;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {
    private static final Pattern IMG = Pattern.compile("<img [^>]*src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"");

    @Test
    void writesTheThreeFilesAtomicallyWithEveryChartEmbedded(@TempDir Path dir) throws Exception {
        ReportInput in = ReportSamples.purifyRun();
        List<Path> written = ReportWriter.writeAll(dir.resolve("out"), in);
        try (var files = Files.list(dir.resolve("out"))) {
            assertThat(files).extracting(p -> p.getFileName().toString())
                    .containsExactlyInAnyOrder("results.json", "report.md", "report.html");     // no temp files left
        }
        assertThat(written).extracting(p -> p.getFileName().toString()).containsExactly("results.json", "report.md", "report.html");
        assertThat(ResultFile.read(written.get(0))).isEqualTo(in.document());
        assertThat(ResultSchema.validate(written.get(0))).isEmpty();

        String html = Files.readString(written.get(2));
        assertThat(html).doesNotContain("http://", "https://", "<script", "<link");           // self-contained
        Matcher m = IMG.matcher(html);
        int images = 0;
        while (m.find()) {
            BufferedImage png = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(m.group(1))));
            assertThat(png).isNotNull();
            assertThat(png.getWidth()).isGreaterThan(100);
            assertThat(png.getHeight()).isGreaterThan(100);
            images++;
        }
        assertThat(images).isEqualTo(1 + ReportSamples.UNITS + 1);                           // phases, units, drift
        assertThat(html).contains("<td>layer4.1.conv2</td>", "<b>SUSPICIOUS</b>", "purified", "67.90");
    }

    @Test
    void markdownHasTheSameTablesAndVerdicts() {
        ReportInput in = ReportSamples.purifyRun();
        String md = MarkdownReport.render(in);
        assertThat(md).startsWith("# lac4j purify — qcb.pth");
        assertThat(md).contains("| naive_ptq | 93.10 | 99.90 | 99.98 | 99.70 | 10000 | 21.0 s |");
        assertThat(md).contains("DER (naive_ptq → purified): 67.90");
        assertThat(md).contains("| layer4.1.conv2 | 500 |");
        assertThat(md).contains("**naive_ptq** (512 images): `SUSPICIOUS`", "**purified** (512 images): `");
        assertThat(md).contains("| 17 | view | 8 |");
        assertThat(md.lines().filter(l -> l.startsWith("| ") && !l.startsWith("| ---")).count()).isEqualTo(4 + 1 + ReportSamples.UNITS + 1 + 18);
    }

    @Test
    void aReportOfTheDocumentAloneHasOnlyTheMetricsChart() {
        String html = HtmlReport.render(ReportInput.of(ResultSchemaTest.full()));
        assertThat(IMG.matcher(html).results().count()).isEqualTo(1);
        assertThat(html).doesNotContain("Activation drift", "Reconstruction loss");
    }

    @Test
    void verdictFlagsTriggeredDriftInDeepLayersAndNotCleanLookingProfiles() {
        var r = new java.util.SplittableRandom(7);
        DriftVerdict qcb = DriftVerdict.of(ReportSamples.profile("naive_ptq", 1.0, r));
        DriftVerdict benign = DriftVerdict.of(ReportSamples.profile("naive_ptq", 0.0, r));
        assertThat(qcb.level()).isEqualTo(DriftVerdict.Level.SUSPICIOUS);
        assertThat(qcb.triggeredToClean()).isGreaterThan(DriftVerdict.SUSPICIOUS_RATIO);
        assertThat(benign.level()).isEqualTo(DriftVerdict.Level.NO_SIGNAL);
        assertThat(benign.reason()).contains("nothing stands out");
    }

    @Test
    void sparklineFollowsTheCurve() {
        assertThat(ReportText.sparkline(new float[] {8, 4, 2, 1}, 4)).isEqualTo("█▆▃▁");
        assertThat(ReportText.sparkline(new float[] {1, 1, 1}, 8)).isEqualTo("▁▁▁");
        assertThat(ReportText.sparkline(new float[0], 8)).isEmpty();
    }
}
