package io.lac4j.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.lac4j.cli.Reporting;
import io.lac4j.data.CalibrationConfig;
import io.lac4j.engine.Progress;
import io.lac4j.io.Json;
import io.lac4j.pipeline.DataSource;
import io.lac4j.pipeline.Demo;
import io.lac4j.pipeline.ModelSource;
import io.lac4j.ptq.PdaConfig;
import io.lac4j.ptq.ReconstructionConfig;
import io.lac4j.quant.QuantPreset;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Opens report.html in headless Chromium: the page raises no errors, every chart loads with a
 * non-zero natural size, and the screenshot is not blank. Skipped when Chromium is not installed
 * ({@code apt-get install -y chromium}; .ci/run does it). The screenshot is kept in
 * {@code target/chromium/report.png} for people to look at.
 */
class HtmlReportChromiumTest {
    /** Injected at the top of a copy of the page: records errors, then writes image sizes into the DOM. */
    private static final String PROBE = """
            <script>
            window.__errors = [];
            window.addEventListener('error', e => window.__errors.push(
                e.target && e.target.tagName ? 'failed to load ' + e.target.tagName + ' ' + (e.target.alt || '') : String(e.message)), true);
            window.addEventListener('load', () => {
              const out = document.createElement('pre');
              out.id = 'lac4j-probe';
              out.textContent = JSON.stringify({errors: window.__errors, images: Array.from(document.images).map(
                  i => ({alt: i.alt, complete: i.complete, w: i.naturalWidth, h: i.naturalHeight}))});
              document.body.appendChild(out);
            });
            </script>
            """;

    private static Path chromium;

    @BeforeAll
    static void findChromium() {
        chromium = Stream.of("chromium", "chromium-browser", "google-chrome")
                .flatMap(n -> Stream.of(System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator))
                        .map(d -> Path.of(d, n)))
                .filter(Files::isExecutable).findFirst().orElse(null);
        assumeTrue(chromium != null, "Chromium not found on PATH: skipping the browser check of report.html"
                + " (install it with: apt-get install -y chromium; .ci/run does)");
    }

    @Test
    void everyChartLoadsWithoutErrorsAndThePageIsNotBlank(@TempDir Path dir) throws Exception {
        ReportWriter.writeAll(dir, ReportSamples.purifyRun());
        assertThat(assertRendersCleanly(dir, "report.png")).as("charts").hasSize(1 + ReportSamples.UNITS + 1);
    }

    /**
     * The report of a real (small) demo run — FP, naive W4A4, LAC, LAC+PDA on the committed demo
     * model with 300 test images, 5 steps per unit — renders, and its results.json is schema-valid.
     */
    @Test
    void aDemoRunsReportRendersCleanly(@TempDir Path dir) throws Exception {
        Path model = Path.of("models", "demo", "fmnist_qcb.pth");
        assumeTrue(Files.isRegularFile(Path.of("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz")),
                "dataset-fashion-mnist is not installed");
        Demo.Result r = Demo.run(new Demo.Request(ModelSource.of(model, "auto"), new DataSource("fmnist", null, "stage2", 0, 300),
                QuantPreset.ACADEMIC_W4A4.config(), CalibrationConfig.LAC.withBatches(4, 4),
                ReconstructionConfig.REFERENCE.withMaxCount(5), PdaConfig.REFERENCE_ON.withCount(3), 1005, 64), Progress.NONE);
        ReportWriter.writeAll(dir, Reporting.input(r.document(), r.pdaUnits(), r.drift()));
        assertThat(ResultSchema.validate(dir.resolve(ReportWriter.RESULTS))).isEmpty();
        assertThat(r.document().phases()).containsOnlyKeys("fp", "naive_ptq", "lac", "lac_pda");
        assertThat(r.drift()).extracting(d -> d.phase()).containsExactly("naive_ptq", "lac", "lac_pda");
        List<String> charts = assertRendersCleanly(dir, "demo-report.png");
        assertThat(charts).as("metrics, 21 unit curves, drift").hasSizeGreaterThanOrEqualTo(1 + 21 + 1);
    }

    /** Renders {@code dir}/report.html; returns "alt WxH" of every image (all loaded, no page errors). */
    private static List<String> assertRendersCleanly(Path dir, String screenshotName) throws Exception {
        Path page = dir.resolve(ReportWriter.HTML);
        String html = Files.readString(page);
        Path probe = dir.resolve("probe.html");
        Files.writeString(probe, html.replaceFirst("<head>", "<head>" + java.util.regex.Matcher.quoteReplacement(PROBE)));

        String dom = run(dir, "--dump-dom", "--virtual-time-budget=5000", probe.toUri().toString());
        int at = dom.indexOf("<pre id=\"lac4j-probe\">");
        assertThat(at).as("probe output in the dumped DOM:\n%s", tail(dom)).isNotNegative();
        String text = dom.substring(at + "<pre id=\"lac4j-probe\">".length(), dom.indexOf("</pre>", at))
                .replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
        JsonNode probed = Json.mapper().readTree(text);
        assertThat(probed.get("errors")).as("page errors").isEmpty();
        List<String> sizes = new ArrayList<>();
        for (JsonNode img : probed.get("images")) {
            sizes.add(img.get("alt").asText() + " " + img.get("w").asInt() + "x" + img.get("h").asInt());
            assertThat(img.get("complete").asBoolean()).as(img.get("alt").asText()).isTrue();
            assertThat(img.get("w").asInt()).as(img.get("alt").asText()).isPositive();
            assertThat(img.get("h").asInt()).as(img.get("alt").asText()).isPositive();
        }

        Path shot = dir.resolve("report.png");
        run(dir, "--screenshot=" + shot, "--window-size=1200,2000", page.toUri().toString());
        BufferedImage png = ImageIO.read(shot.toFile());
        assertThat(png.getWidth()).isEqualTo(1200);
        Set<Integer> colours = new HashSet<>();
        long inked = 0;
        for (int y = 0; y < png.getHeight(); y += 2) {
            for (int x = 0; x < png.getWidth(); x += 2) {
                int rgb = png.getRGB(x, y) & 0xFFFFFF;
                colours.add(rgb);
                inked += rgb == 0xFFFFFF ? 0 : 1;
            }
        }
        assertThat(colours.size()).as("distinct colours in the screenshot").isGreaterThan(50);
        assertThat(inked).as("non-white pixels sampled").isGreaterThan(20_000);
        Path keep = Path.of("target", "chromium");
        Files.createDirectories(keep);
        Files.copy(shot, keep.resolve(screenshotName), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(page, keep.resolve(screenshotName.replace(".png", ".html")), StandardCopyOption.REPLACE_EXISTING);
        return sizes;
    }

    /** Runs headless Chromium offline with a throw-away profile; returns stdout. */
    private static String run(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + dir.resolve("profile")));
        cmd.addAll(List.of(args));
        Path stdout = dir.resolve("chromium.out");
        Path stderr = dir.resolve("chromium.err");
        Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish in 90 s: " + String.join(" ", cmd));
        }
        String err = Files.readString(stderr, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("chromium exit code; stderr:\n%s", tail(err)).isZero();
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    private static String tail(String s) {
        return Optional.ofNullable(s).map(t -> t.length() > 2000 ? t.substring(t.length() - 2000) : t).orElse("");
    }
}
