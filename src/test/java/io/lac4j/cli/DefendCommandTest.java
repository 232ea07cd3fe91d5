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
        assertThat(r.out()).contains("defense: efrap, W4A4").containsPattern("(?m)^fp ").containsPattern("(?m)^naive_ptq ")
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
    void badInputIsRefusedWithTheValueAndExitCode2() {
        TinyCli.Run bits = lac4j(tiny("defend", "efrap", "--bits", "9"));
        assertThat(bits.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(bits.err()).contains("--bits: expected 2..8, got 9");
        TinyCli.Run name = lac4j(tiny("defend", "efarp"));
        assertThat(name.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(name.err()).contains("expected one of [naive, minmax").contains("got 'efarp'");
        TinyCli.Run weighting = lac4j(tiny("defend", "efrap", "--weighting", "neuron"));
        assertThat(weighting.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(weighting.err()).contains("--weighting: expected one of [element, neuron_norm], got 'neuron'");
    }
}
