package io.lac4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end, tiny: a defend run leaves its defended model as ONNX; {@code export} hands it over,
 * {@code evaluate --checkpoint F.onnx} runs it in ONNX Runtime with the run's numbers.
 */
class ExportCommandTest {
    @TempDir static Path dir;
    static Path model;

    @BeforeAll
    static void trainTinyModel() {
        model = TinyCli.trainTinyModel(dir);
    }

    @Test
    void aDefendedRunExportsAndEvaluatesInOnnxRuntime() throws Exception {
        Path run = dir.resolve("run");
        Path json = dir.resolve("lac.json");
        TinyCli.Run d = TinyCli.lac4j("defend", "lac", "--checkpoint", model.toString(), "--trigger", "stage2", "--limit", "64",
                "--cali-batches", "2", "--max-count", "2", "--threads", "1", "-q", "--output-dir", run.toString(), "--json",
                json.toString());
        assertThat(d.code()).as(d.err()).isZero();
        assertThat(run.resolve("purified.onnx")).isRegularFile();

        Path onnx = dir.resolve("shipped.onnx");
        TinyCli.Run e = TinyCli.lac4j("export", "--run", run.toString(), "--format", "onnx", "--out", onnx.toString());
        assertThat(e.code()).as(e.err()).isZero();
        assertThat(e.out()).contains("loads in ONNX Runtime").contains("lac4j_cda:").contains("method: lac");
        assertThat(Files.readAllBytes(onnx)).isEqualTo(Files.readAllBytes(run.resolve("purified.onnx")));

        Path ortJson = dir.resolve("ort.json");
        TinyCli.Run v = TinyCli.lac4j("evaluate", "--checkpoint", onnx.toString(), "--trigger", "stage2", "--limit", "64",
                "-q", "--json", ortJson.toString());
        assertThat(v.code()).as(v.err()).isZero();
        JsonNode lac = new ObjectMapper().readTree(json.toFile()).path("phases").path("lac");
        JsonNode ort = new ObjectMapper().readTree(ortJson.toFile()).path("phases").path("onnx");
        // one image of 64 is 1.5625 points: lac4j's x·(1/s) and ONNX's x/s may round one tie apart
        assertThat(Math.abs(ort.path("cda").asDouble() - lac.path("cda").asDouble())).isLessThanOrEqualTo(1.57);

        // the run checked its own export in ONNX Runtime, image by image, with the same numbers evaluate gives
        JsonNode check = new ObjectMapper().readTree(json.toFile()).path("onnx_check").path("lac");
        assertThat(check.path("file").asText()).isEqualTo("purified.onnx");
        assertThat(check.path("runtime").asText()).startsWith("ONNX Runtime 1.");
        assertThat(check.path("onnx_runtime").path("cda").asDouble()).isEqualTo(ort.path("cda").asDouble());
        assertThat(check.path("onnx_runtime").path("asr_no_target").asDouble()).isEqualTo(ort.path("asr_no_target").asDouble());
        assertThat(check.path("images").path("clean").asInt()).isEqualTo(64);
        assertThat(check.path("images").path("triggered").asInt()).isEqualTo(64);
        assertThat(check.path("disagreements").path("clean").asInt()).isBetween(0, 1);
        assertThat(check.path("disagreements").path("triggered").asInt()).isBetween(0, 1);
        assertThat(check.path("largest_difference").asDouble()).isEqualTo(
                Math.max(Math.abs(ort.path("cda").asDouble() - lac.path("cda").asDouble()),
                        Math.max(Math.abs(ort.path("asr").asDouble() - lac.path("asr").asDouble()),
                                Math.abs(ort.path("asr_no_target").asDouble() - lac.path("asr_no_target").asDouble()))),
                org.assertj.core.data.Offset.offset(1e-3));
        assertThat(check.path("operators").size()).isPositive();
        assertThat(d.out()).contains("purified.onnx in ONNX Runtime").contains("predictions differ");
        assertThat(io.lac4j.report.ResultSchema.validate(new ObjectMapper().readTree(json.toFile()))).isEmpty();
    }

    @Test
    void quantizeChecksItsOnnxExportAndADefendNaiveRunItsCalibratedModel() throws Exception {
        Path onnx = dir.resolve("naive.onnx");
        Path json = dir.resolve("naive.json");
        TinyCli.Run q = TinyCli.lac4j("quantize", "--checkpoint", model.toString(), "--trigger", "stage2", "--limit", "64",
                "--cali-batches", "2", "--threads", "1", "-q", "--export-onnx", onnx.toString(), "--json", json.toString());
        assertThat(q.code()).as(q.err()).isZero();
        JsonNode doc = new ObjectMapper().readTree(json.toFile());
        JsonNode check = doc.path("onnx_check").path("naive_ptq");
        assertThat(check.path("file").asText()).isEqualTo("naive.onnx");
        assertThat(Math.abs(check.path("onnx_runtime").path("cda").asDouble() - doc.path("phases").path("naive_ptq").path("cda").asDouble()))
                .isLessThanOrEqualTo(1.57);
        assertThat(doc.path("timings").path("onnx_check").asDouble()).isPositive();

        Path run = dir.resolve("naive-run");
        Path dj = dir.resolve("defend-naive.json");
        TinyCli.Run d = TinyCli.lac4j("defend", "naive", "--checkpoint", model.toString(), "--trigger", "stage2", "--limit", "64",
                "--cali-batches", "2", "--threads", "1", "-q", "--output-dir", run.toString(), "--json", dj.toString());
        assertThat(d.code()).as(d.err()).isZero();
        JsonNode naive = new ObjectMapper().readTree(dj.toFile()).path("onnx_check").path("naive_ptq");
        assertThat(naive.path("file").asText()).isEqualTo("naive_ptq.onnx");
        // same model, same calibration seed: ONNX Runtime's numbers for both exports agree exactly
        assertThat(naive.path("onnx_runtime").path("cda").asDouble()).isEqualTo(check.path("onnx_runtime").path("cda").asDouble());
    }

    @Test
    void badInputIsRefusedNamingIt() {
        TinyCli.Run f = TinyCli.lac4j("export", "--run", dir.toString(), "--format", "tflite");
        assertThat(f.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(f.err()).contains("--format: expected onnx, got 'tflite'");
        TinyCli.Run none = TinyCli.lac4j("export", "--run", dir.toString());
        assertThat(none.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(none.err()).contains("expected one defended model as .onnx, got none");
    }
}
