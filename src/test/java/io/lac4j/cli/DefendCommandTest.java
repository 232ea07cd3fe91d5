package io.lac4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lac4j.io.Checkpoints;
import io.lac4j.report.ResultSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end, tiny: {@code defend} on a width-2 CIFAR ResNet-18 trained for one epoch on 96
 * Fashion-MNIST images, 2 calibration batches, 2 steps per unit, 64 test images.
 */
class DefendCommandTest {
    @TempDir static Path dir;
    static Path model;

    static TinyCli.Run lac4j(String... args) {
        return TinyCli.lac4j(args);
    }

    static String[] tiny(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--checkpoint", model.toString(), "--trigger", "stage2", "--target", "0", "--limit", "64",
                "--cali-batches", "2", "--max-count", "2", "--threads", "1", "-q"));
        return all.toArray(String[]::new);
    }

    @BeforeAll
    static void trainTinyModel() {
        model = TinyCli.trainTinyModel(dir);
    }

    @Test
    void efrapPrintsThreePhasesAndWritesAValidResultFileUnitCurvesAndModel() throws Exception {
        Path out = dir.resolve("efrap");
        Path json = dir.resolve("efrap.json");
        TinyCli.Run r = lac4j(tiny("defend", "efrap", "--arch", "auto", "--data", "fmnist", "--bits", "4", "--seed", "7",
                "--output-dir", out.toString(), "--json", json.toString()));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("defense: efrap, academic W4A4").containsPattern("(?m)^fp ").containsPattern("(?m)^naive_ptq ")
                .containsPattern("(?m)^efrap ").contains("DER (naive_ptq -> efrap)");
        JsonNode doc = new ObjectMapper().readTree(json.toFile());
        assertThat(ResultSchema.validate(doc)).isEmpty();
        assertThat(doc.path("command").asText()).isEqualTo("defend");
        assertThat(doc.path("method").asText()).isEqualTo("efrap");
        assertThat(doc.path("phases").fieldNames()).toIterable().containsExactly("fp", "naive_ptq", "efrap");
        assertThat(doc.path("phases").path("efrap").path("n").asInt()).isEqualTo(64);
        assertThat(doc.path("settings").path("efrap").path("weighting").asText()).isEqualTo("element");
        assertThat(doc.path("settings").path("max_count").asInt()).isEqualTo(2);
        assertThat(doc.path("der").isNumber()).isTrue();
        try (Stream<Path> curves = Files.list(out.resolve("units"))) {
            assertThat(curves.count()).isEqualTo(21);                         // every unit of ResNet-18 was reconstructed
        }
        Path defended = out.resolve("purified.pth");
        assertThat(Checkpoints.read(defended).stateDict().keys()).contains("conv1.weight", "linear.weight");
        assertThat(r.out()).as("the file a user loads, then its integer companion")
                .contains("defended model: " + defended + " (integer weights and scales: purified.int.safetensors beside it)");
        assertThat(out.resolve("purified.int.safetensors")).isRegularFile();
        assertThat(Files.isRegularFile(out.resolve("results.json"))).isTrue();
    }

    @Test
    void fineTuningIsADefenseToo() throws Exception {
        Path json = dir.resolve("ft.json");
        TinyCli.Run r = lac4j(tiny("defend", "fine-pruning", "--epochs", "1", "--prune-ratio", "0.5", "--bits", "8",
                "--output-dir", dir.resolve("fp").toString(), "--json", json.toString()));
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode doc = new ObjectMapper().readTree(json.toFile());
        assertThat(ResultSchema.validate(doc)).isEmpty();
        assertThat(doc.path("phases").fieldNames()).toIterable().containsExactly("fp", "naive_ptq", "fine_pruning");
        assertThat(doc.path("settings").path("epochs").asInt()).as("--epochs").isEqualTo(1);
        // width 2: the last conv, layer4.1.conv2, has 16 channels; half are removed and stay removed after fine-tuning
        assertThat(doc.path("settings").path("pruned").path("conv").asText()).isEqualTo("layer4.1.conv2");
        assertThat(doc.path("settings").path("pruned").path("removed").asInt()).isEqualTo(8);
        float[] gamma = Checkpoints.read(dir.resolve("fp").resolve("fine_pruning.pth")).stateDict()
                .get("layer4.1.bn2.weight").toFloatArray();
        int zeros = 0;
        for (float g : gamma) {
            zeros += g == 0f ? 1 : 0;
        }
        assertThat(zeros).isEqualTo(8);
    }

    @Test
    void minmaxIsNaivePtqWithMinMaxRangesForWeightsAndActivations() throws Exception {
        Path json = dir.resolve("minmax.json");
        TinyCli.Run r = lac4j(tiny("defend", "minmax", "--bits", "4", "--output-dir", dir.resolve("mm").toString(),
                "--json", json.toString()));
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode doc = new ObjectMapper().readTree(json.toFile());
        assertThat(ResultSchema.validate(doc)).isEmpty();
        assertThat(doc.path("method").asText()).isEqualTo("minmax");
        assertThat(doc.path("quantization").path("w_observer").asText()).isEqualTo("MIN_MAX");
        assertThat(doc.path("quantization").path("a_observer").asText()).isEqualTo("MIN_MAX");
        assertThat(doc.path("phases").fieldNames()).toIterable().containsExactly("fp", "naive_ptq");   // nothing reconstructed
        assertThat(doc.path("timings").has("reconstruction_total")).isFalse();
    }

    @Test
    void adaroundReconstructsEveryUnitAndExportsA4BitOnGridModel() throws Exception {
        Path out = dir.resolve("adaround");
        Path json = dir.resolve("adaround.json");
        TinyCli.Run r = lac4j(tiny("defend", "adaround", "--bits", "4", "--output-dir", out.toString(), "--json",
                json.toString()));
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode doc = new ObjectMapper().readTree(json.toFile());
        assertThat(ResultSchema.validate(doc)).isEmpty();
        assertThat(doc.path("phases").fieldNames()).toIterable().containsExactly("fp", "naive_ptq", "adaround");
        assertThat(doc.path("quantization").path("w_observer").asText()).isEqualTo("MSE");
        try (Stream<Path> curves = Files.list(out.resolve("units"))) {
            assertThat(curves.count()).isEqualTo(21);
        }
        var ints = io.lac4j.io.SafetensorsReader.read(out.resolve("purified.int.safetensors")).stateDict();
        var pth = Checkpoints.read(out.resolve("purified.pth")).stateDict();
        // Academic: asymmetric 4-bit inside, 8-bit first layer (io rule); the .pth weight is (level − z)·s per channel
        float[] levels = ints.get("layer1.0.conv1.weight_int").toFloatArray();
        for (float v : levels) {
            assertThat(v).isBetween(0f, 15f);
        }
        float widest = 0;
        for (float v : ints.get("conv1.weight_int").toFloatArray()) {
            assertThat(v).isBetween(0f, 255f);
            widest = Math.max(widest, v);
        }
        assertThat(widest).isGreaterThan(15f);                                 // not the 4-bit grid
        float[] scale = ints.get("layer1.0.conv1.weight_scale").toFloatArray();
        float[] zero = ints.get("layer1.0.conv1.weight_zero_point").toFloatArray();
        float[] w = pth.get("layer1.0.conv1.weight").toFloatArray();
        int perChannel = w.length / scale.length;
        for (int i = 0; i < w.length; i++) {
            int c = i / perChannel;
            assertThat(w[i]).isCloseTo((levels[i] - zero[c]) * scale[c], org.assertj.core.data.Offset.offset(1e-6f));
        }
    }

    /** PQBackdoor's deployment: LAC reconstructs under fbgemm's symmetric per-channel grid, every layer at 4 bit. */
    @Test
    void lacRunsOnTheFbgemmDeploymentPath() throws Exception {
        Path out = dir.resolve("fbgemm");
        Path json = dir.resolve("fbgemm.json");
        TinyCli.Run r = lac4j(tiny("defend", "lac", "--deployment", "fbgemm", "--bits", "4", "--output-dir", out.toString(),
                "--json", json.toString()));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("defense: lac, fbgemm W4A8");
        JsonNode doc = new ObjectMapper().readTree(json.toFile());
        assertThat(ResultSchema.validate(doc)).isEmpty();
        assertThat(doc.path("settings").path("deployment").asText()).isEqualTo("fbgemm");
        assertThat(doc.path("quantization").path("weight").asText()).contains("4-bit symmetric");
        assertThat(doc.path("quantization").path("io_8bit").asBoolean()).isFalse();
        assertThat(doc.path("phases").fieldNames()).toIterable().containsExactly("fp", "naive_ptq", "lac");
        var ints = io.lac4j.io.SafetensorsReader.read(out.resolve("purified.int.safetensors")).stateDict();
        for (String layer : List.of("conv1", "layer2.0.conv1", "linear")) {      // first and last layer at 4 bit too
            for (float v : ints.get(layer + ".weight_int").toFloatArray()) {
                assertThat(v).isBetween(-8f, 7f);
            }
            for (float z : ints.get(layer + ".weight_zero_point").toFloatArray()) {
                assertThat(z).isZero();
            }
        }
    }

    @Test
    void badInputIsRefusedWithTheValueAndExitCode2() {
        TinyCli.Run bits = lac4j(tiny("defend", "efrap", "--bits", "9"));
        assertThat(bits.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(bits.err()).contains("--bits: expected 2..8, got 9");
        TinyCli.Run name = lac4j(tiny("defend", "efarp"));
        assertThat(name.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(name.err()).contains("expected one of [naive, minmax").contains("got 'efarp'");
        TinyCli.Run deployment = lac4j(tiny("defend", "lac", "--deployment", "tflite"));
        assertThat(deployment.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(deployment.err()).contains("--deployment: expected one of [academic, fbgemm, qnnpack], got 'tflite'");
        TinyCli.Run weighting = lac4j(tiny("defend", "efrap", "--weighting", "neuron"));
        assertThat(weighting.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(weighting.err()).contains("--weighting: expected one of [element, neuron_norm], got 'neuron'");
        TinyCli.Run sweep = lac4j(tiny("defend", "ft", "--range-sweep", "0.9,0"));
        assertThat(sweep.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(sweep.err()).contains("--range-sweep: expected factors in [0.25, 4.0]").contains("got 0.0");
        TinyCli.Run epochs = lac4j(tiny("defend", "ft", "--epochs", "0"));
        assertThat(epochs.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(epochs.err()).contains("--epochs: expected > 0, got 0");
        TinyCli.Run ignored = lac4j(tiny("defend", "lac+pda", "--epochs", "3"));
        assertThat(ignored.code()).as("an option the defense would ignore").isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(ignored.err()).contains("--epochs: lac+pda does not read it; it applies to qad, qad-reset, qad-reset-regrid, ft, fine-pruning");
        TinyCli.Run prune = lac4j(tiny("defend", "ft", "--prune-ratio", "0.3"));
        assertThat(prune.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(prune.err()).contains("--prune-ratio: ft does not read it; it applies to fine-pruning");
        TinyCli.Run lambda = lac4j(tiny("defend", "lac", "--lambda-flip", "2"));
        assertThat(lambda.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(lambda.err()).contains("--lambda-flip: lac does not read it; it applies to efrap");
        TinyCli.Run twice = lac4j(tiny("defend", "ft", "--range-sweep", "1.1,1.1"));
        assertThat(twice.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(twice.err()).contains("--range-sweep: a factor is given twice");
    }

    @Test
    void aRangeSweepReEvaluatesTheDefendedModelAndLeavesItsRangesAsTheyWere() throws Exception {
        Path json = dir.resolve("sweep.json");
        // the demo QCB, not the tiny model: a model that classifies, so that a coarser grid shows in its accuracy
        TinyCli.Run r = lac4j("defend", "ft", "--checkpoint", "models/demo/fmnist_qcb.pth", "--trigger", "stage2", "--target", "0",
                "--limit", "64", "--cali-batches", "2", "--threads", "1", "-q", "--epochs", "1", "--bits", "4", "--seed", "3",
                "--range-sweep", "0.5,1,3", "--output-dir", dir.resolve("sweep").toString(), "--json", json.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("ft with activation ranges scaled:").contains("worst ASR-nt over the calibrated ranges and the sweep:");
        JsonNode doc = new ObjectMapper().readTree(json.toFile());
        assertThat(ResultSchema.validate(doc)).isEmpty();
        JsonNode points = doc.path("range_sweep").path("ft");
        assertThat(points.size()).isEqualTo(3);
        assertThat(points.get(1).path("factor").asDouble()).isEqualTo(1.0);
        JsonNode ft = doc.path("phases").path("ft");
        // factor 1 is the model as defended: the same numbers as its own phase
        assertThat(points.get(1).path("cda").asDouble()).isEqualTo(ft.path("cda").asDouble());
        assertThat(points.get(1).path("asr_no_target").asDouble()).isEqualTo(ft.path("asr_no_target").asDouble());
        // a grid 3x coarser at 4 bits costs a trained model accuracy
        assertThat(points.get(2).path("cda").asDouble()).isNotEqualTo(ft.path("cda").asDouble());
        // the sweep ran before the export: the exported model is the unscaled one, and ONNX Runtime agrees with it
        assertThat(doc.path("onnx_check").path("ft").path("disagreements").path("clean").asInt()).isZero();
        assertThat(doc.path("timings").path("range_sweep").asDouble()).isPositive();
        assertThat(Files.readString(dir.resolve("sweep").resolve("report.md"))).contains("## Activation ranges scaled")
                .contains("x3.000");
        assertThat(Files.readString(dir.resolve("sweep").resolve("report.html"))).contains("id=\"range-sweep\"");
    }

    @Test
    void theRequantizeCheckQuantizesTheExportedCheckpointAsAnIndependentNaiveRunOfItDoes() throws Exception {
        Path json = dir.resolve("requant.json");
        String[] common = {"--trigger", "stage2", "--target", "0", "--limit", "64", "--cali-batches", "2", "--threads", "1", "-q",
                "--bits", "4", "--seed", "3"};
        List<String> args = new java.util.ArrayList<>(List.of("defend", "ft", "--checkpoint", "models/demo/fmnist_qcb.pth",
                "--epochs", "1", "--requantize-check", "--output-dir", dir.resolve("requant").toString(), "--json", json.toString()));
        args.addAll(List.of(common));
        TinyCli.Run r = lac4j(args.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("ft, its exported checkpoint quantized again: CDA");
        JsonNode doc = new ObjectMapper().readTree(json.toFile());
        assertThat(ResultSchema.validate(doc)).isEmpty();
        JsonNode q = doc.path("requantized").path("ft");
        assertThat(q.path("scale_ratio_min").asDouble()).isPositive()
                .isLessThanOrEqualTo(q.path("scale_ratio_median").asDouble());
        assertThat(q.path("scale_ratio_median").asDouble()).isLessThanOrEqualTo(q.path("scale_ratio_max").asDouble());
        assertThat(doc.path("timings").path("requantize_check").asDouble()).isPositive();
        assertThat(Files.readString(dir.resolve("requant").resolve("report.md"))).contains("## Exported checkpoint quantized again");
        assertThat(Files.readString(dir.resolve("requant").resolve("report.html"))).contains("id=\"requantized\"");

        // the same check by hand: the exported .pth through the ordinary naive path, same seed and calibration draw
        Path exported;
        try (var files = Files.list(dir.resolve("requant"))) {
            exported = files.filter(f -> f.getFileName().toString().endsWith(".pth")).findFirst().orElseThrow();
        }
        Path naiveJson = dir.resolve("requant-naive.json");
        List<String> naive = new java.util.ArrayList<>(List.of("defend", "naive", "--checkpoint", exported.toString(),
                "--output-dir", dir.resolve("requant-naive").toString(), "--json", naiveJson.toString()));
        naive.addAll(List.of(common));
        TinyCli.Run n = lac4j(naive.toArray(String[]::new));
        assertThat(n.code()).as(n.err()).isZero();
        JsonNode byHand = new ObjectMapper().readTree(naiveJson.toFile()).path("phases").path("naive_ptq");
        assertThat(q.path("cda").asDouble()).isEqualTo(byHand.path("cda").asDouble());
        assertThat(q.path("asr_no_target").asDouble()).isEqualTo(byHand.path("asr_no_target").asDouble());
    }
}
