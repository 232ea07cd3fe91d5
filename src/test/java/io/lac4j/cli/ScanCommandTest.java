package io.lac4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lac4j scan} end to end on a tiny model (the verdict itself is checked on models with a known
 * answer in ScannerTest and measured on the corpus, docs/scan.md): table, verdict, PNG, results.json
 * against the schema; {@code defend --scan} adds the trigger-free residual; bad input is refused.
 */
class ScanCommandTest {
    @TempDir static Path dir;
    /** An untrained-looking tiny model (puts every image in one class): bad input for a scan. */
    static Path tiny;
    /** The Fashion-MNIST fixture (width 8, clean, CDA 86 %). */
    static Path model;

    @BeforeAll
    static void models() throws Exception {
        tiny = TinyCli.trainTinyModel(dir);
        model = Path.of(ScanCommandTest.class.getResource("/golden/fmnist/resnet18_cifar_w8.pth").toURI());
    }

    @Test
    void scanPrintsPerClassScoresAVerdictAndWritesTheScanSection() throws Exception {
        Path out = dir.resolve("scan");
        Path json = dir.resolve("scan.json");
        TinyCli.Run r = TinyCli.lac4j("scan", "--checkpoint", model.toString(), "--cali-batches", "2", "--steps", "3",
                "--draws", "2", "--second-look", "--threads", "1", "-q", "--output-dir", out.toString(), "--json", json.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("class   score  anomaly").containsPattern("verdict: (QCB suspected \\(target \\d\\)|backdoor in FP too \\(target \\d\\)|no QCB found)");
        JsonNode doc = new ObjectMapper().readTree(json.toFile());
        assertThat(doc.path("command").asText()).isEqualTo("scan");
        JsonNode scan = doc.path("scan");
        assertThat(scan.path("classes").size()).isEqualTo(10);
        assertThat(scan.path("classes")).allSatisfy(c -> assertThat(c.path("fp_only_flip_quantized").isNumber())
                .as("the FP-only pattern measured on the deployment: %s", c).isTrue());
        assertThat(r.out()).contains("FP-only flip (FP)  (Q)").contains("area  draw")
                .contains("each class keeps the best of 2 draws");
        assertThat(scan.path("settings").path("draws").asInt()).isEqualTo(2);
        assertThat(scan.path("settings").path("second_look").asBoolean()).isTrue();
        if (scan.has("second_look")) {
            assertThat(r.out()).contains("Second look at class " + scan.path("second_look").path("class").asInt());
        }
        assertThat(scan.path("classes")).allSatisfy(c -> {
            JsonNode scores = c.path("draw_scores");
            assertThat(scores.size()).isEqualTo(2);
            assertThat(scores.get(c.path("draw").asInt() - 1).asDouble()).as("the kept draw scored best: %s", c)
                    .isEqualTo(Math.max(scores.get(0).asDouble(), scores.get(1).asDouble()));
        });
        assertThat(scan.path("held_out_images").asInt()).isEqualTo(16);
        assertThat(scan.path("optimisation_images").asInt()).isEqualTo(48);
        assertThat(scan.path("settings").path("steps").asInt()).isEqualTo(3);
        assertThat(scan.path("settings").path("refine_select_every").asInt())
                .isEqualTo(io.lac4j.scan.ScanConfig.DEFAULT.refineSelectEvery()).isPositive();
        assertThat(scan.path("settings").path("refine_fp_margin").asDouble())
                .isEqualTo(io.lac4j.scan.ScanConfig.DEFAULT.refineFpMargin()).isPositive();
        assertThat(scan.path("settings").path("refine_budget").asDouble())
                .isEqualTo(io.lac4j.scan.ScanConfig.DEFAULT.refineBudget()).isPositive();
        if (scan.has("refined")) {
            int kept = scan.path("refined").path("selected_step").asInt(-1);
            assertThat(kept).as("a snapshot step: 0, a multiple of 10, or the last").isBetween(0, 60)
                    .satisfiesAnyOf(k -> assertThat(k % 10).isZero(), k -> assertThat(k).isEqualTo(60));
        }
        assertThat(scan.path("residual").has("naive_ptq")).isTrue();
        JsonNode phases = scan.path("phase_seconds");
        assertThat(phases.has("differential_search") && phases.has("fp_only_search") && phases.has("flip_rates")).as("%s", phases)
                .isTrue();
        double timed = 0;
        for (JsonNode v : phases) {
            assertThat(v.asDouble()).isPositive();
            timed += v.asDouble();
        }
        assertThat(timed).as("the phases are parts of the scan's seconds").isLessThanOrEqualTo(scan.path("seconds").asDouble() + 0.01);
        assertThat(r.out()).containsPattern("differential search \\d+\\.\\d s, fp only search");
        String png = scan.path("images").path("suspect").asText();
        assertThat(out.resolve(png)).isRegularFile();
        assertThat(java.nio.file.Files.readString(out.resolve("report.html"))).contains("Trigger-free scan").contains(png);
        assertThat(io.lac4j.report.ResultSchema.validate(doc)).isEmpty();
    }

    @Test
    void defendWithScanReportsTheTriggerFreeResidualOfTheDefendedModel() throws Exception {
        Path json = dir.resolve("defend.json");
        TinyCli.Run r = TinyCli.lac4j("defend", "lac", "--checkpoint", model.toString(), "--trigger", "stage2", "--limit", "64",
                "--cali-batches", "2", "--max-count", "2", "--scan", "--scan-steps", "3", "--threads", "1", "-q", "--output-dir",
                dir.resolve("defend").toString(), "--json", json.toString());
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode residual = new ObjectMapper().readTree(json.toFile()).path("scan").path("residual");
        assertThat(residual.has("naive_ptq")).isTrue();
        assertThat(residual.has("lac")).isTrue();
        assertThat(residual.path("lac").asDouble()).isBetween(0.0, 100.0);
        assertThat(r.out()).contains("trigger-free residual").contains("verdict:");
        assertThat(io.lac4j.report.ResultSchema.validate(new ObjectMapper().readTree(json.toFile()))).isEmpty();
    }

    @Test
    void compareWithScanGivesEveryDefenseItsTriggerFreeResidual() throws Exception {
        Path out = dir.resolve("compare");
        TinyCli.Run r = TinyCli.lac4j("compare", "--checkpoint", model.toString(), "--trigger", "stage2", "--limit", "64",
                "--defenses", "naive,lac", "--bits", "4", "--seeds", "1", "--cali-batches", "2", "--max-count", "2", "--scan",
                "--scan-steps", "2", "--threads", "1", "-q", "--output-dir", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode doc = new ObjectMapper().readTree(out.resolve("compare.json").toFile());
        assertThat(doc.path("runs")).hasSize(2);
        for (JsonNode run : doc.path("runs")) {
            assertThat(run.path("residual").isNumber()).as(run.toString()).isTrue();
            assertThat(run.path("residual").asDouble()).isBetween(0.0, 100.0);
        }
        assertThat(doc.path("rows").get(0).path("residual").path("mean").isNumber()).isTrue();
        assertThat(java.nio.file.Files.readString(out.resolve("compare.md"))).contains("trigger-free residual");
        assertThat(java.nio.file.Files.readString(out.resolve("compare.csv")).lines().findFirst().orElseThrow())
                .endsWith(",residual_mean,residual_std");
    }

    @Test
    void scanOfARunFolderReadsItsQuantizedModelBackExactly() throws Exception {
        Path run = dir.resolve("naive-run");
        TinyCli.Run defend = TinyCli.lac4j("defend", "naive", "--checkpoint", model.toString(), "--limit", "64",
                "--cali-batches", "2", "--threads", "1", "-q", "--output-dir", run.toString());
        assertThat(defend.code()).as(defend.err()).isZero();
        Path direct = dir.resolve("direct.json");
        Path fromRun = dir.resolve("from-run.json");
        TinyCli.Run a = TinyCli.lac4j("scan", "--checkpoint", model.toString(), "--cali-batches", "2", "--steps", "3",
                "--threads", "1", "-q", "--output-dir", dir.resolve("direct").toString(), "--json", direct.toString());
        TinyCli.Run b = TinyCli.lac4j("scan", "--checkpoint", model.toString(), "--run", run.toString(), "--cali-batches", "2",
                "--steps", "3", "--threads", "1", "-q", "--output-dir", dir.resolve("from-run").toString(), "--json",
                fromRun.toString());
        assertThat(a.code()).as(a.err()).isZero();
        assertThat(b.code()).as(b.err()).isZero();
        assertThat(b.out()).contains("naive_ptq.pth of " + run);
        JsonNode x = new ObjectMapper().readTree(direct.toFile()).path("scan");
        JsonNode y = new ObjectMapper().readTree(fromRun.toFile()).path("scan");
        // the same calibration, the same grid: the model read back computes exactly what the calibrated one did
        assertThat(y.path("classes")).isEqualTo(x.path("classes"));
        assertThat(y.path("verdict").asText()).isEqualTo(x.path("verdict").asText());
        assertThat(y.path("residual").path("naive_ptq").asDouble()).isEqualTo(x.path("residual").path("naive_ptq").asDouble());
        assertThat(new ObjectMapper().readTree(fromRun.toFile()).path("settings").path("scanned_model").asText())
                .isEqualTo("naive_ptq.pth");
        assertThat(io.lac4j.report.ResultSchema.validate(new ObjectMapper().readTree(fromRun.toFile()))).isEmpty();

        TinyCli.Run otherModel = TinyCli.lac4j("scan", "--checkpoint", tiny.toString(), "--run", run.toString(), "-q");
        assertThat(otherModel.code()).isEqualTo(2);
        assertThat(otherModel.err()).contains("is not the model " + run + " defended").contains("sha256");
        TinyCli.Run otherGrid = TinyCli.lac4j("scan", "--checkpoint", model.toString(), "--run", run.toString(), "--bits", "8",
                "--cali-batches", "2", "-q");
        assertThat(otherGrid.code()).isEqualTo(2);
        assertThat(otherGrid.err()).contains("naive_ptq.int.safetensors").contains("--bits");
        TinyCli.Run noRun = TinyCli.lac4j("scan", "--checkpoint", model.toString(), "--run", dir.resolve("nowhere").toString(), "-q");
        assertThat(noRun.code()).isEqualTo(2);
        assertThat(noRun.err()).contains("nowhere").contains("run folder not found");
    }

    @Test
    void badInputIsRefusedNamingWhatIsWrong() {
        TinyCli.Run dep = TinyCli.lac4j("scan", "--checkpoint", model.toString(), "--deployment", "tensorrt", "-q");
        assertThat(dep.code()).isNotZero();
        assertThat(dep.err()).contains("--deployment").contains("tensorrt");
        TinyCli.Run steps = TinyCli.lac4j("scan", "--checkpoint", model.toString(), "--steps", "0", "-q");
        assertThat(steps.code()).isNotZero();
        assertThat(steps.err()).contains("--steps: expected > 0, got 0");
        TinyCli.Run budget = TinyCli.lac4j("scan", "--checkpoint", model.toString(), "--budget", "2", "-q");
        assertThat(budget.code()).isNotZero();
        assertThat(budget.err()).contains("--budget");
        TinyCli.Run every = TinyCli.lac4j("scan", "--checkpoint", model.toString(), "--refine-select-every", "-1", "-q");
        assertThat(every.code()).isNotZero();
        assertThat(every.err()).contains("--refine-select-every: expected >= 0, got -1");
        TinyCli.Run margin = TinyCli.lac4j("scan", "--checkpoint", model.toString(), "--refine-fp-margin", "NaN", "-q");
        assertThat(margin.code()).isNotZero();
        assertThat(margin.err()).contains("--refine-fp-margin");
        TinyCli.Run refineBudget = TinyCli.lac4j("scan", "--checkpoint", model.toString(), "--refine-budget", "1", "-q");
        assertThat(refineBudget.code()).isNotZero();
        assertThat(refineBudget.err()).contains("--refine-budget: expected a fraction of the image in (0, 1), got 1.0");
        TinyCli.Run draws = TinyCli.lac4j("scan", "--checkpoint", model.toString(), "--draws", "0", "-q");
        assertThat(draws.code()).isNotZero();
        assertThat(draws.err()).contains("--draws: expected >= 1, got 0");
        TinyCli.Run missing = TinyCli.lac4j("scan", "--checkpoint", dir.resolve("none.pth").toString(), "-q");
        assertThat(missing.code()).isNotZero();
        assertThat(missing.err()).contains("none.pth").contains("not found");
        TinyCli.Run oneClass = TinyCli.lac4j("scan", "--checkpoint", tiny.toString(), "--cali-batches", "2", "--steps", "1",
                "--threads", "1", "-q");
        assertThat(oneClass.code()).isEqualTo(2);
        assertThat(oneClass.err()).contains("a scan needs a model that classifies");
    }
}
