package io.lac4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lac4j.report.ResultSchema;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end, tiny: the weights-only protocol ({@code --abits 32}, W4A32: activations in float) that
 * EFRAP and the weight-rounding papers report, through {@code defend} (LAC + PDA, whose activation
 * cache and PDA once crashed on identity activation quantizers) and {@code compare}.
 */
class WeightsOnlyDefenseTest {
    @TempDir static Path dir;
    static Path model;

    @BeforeAll
    static void trainTinyModel() {
        model = TinyCli.trainTinyModel(dir);
    }

    @Test
    void defendLacPdaWithActivationsInFloat() throws Exception {
        Path json = dir.resolve("w4a32.json");
        TinyCli.Run r = TinyCli.lac4j("defend", "lac+pda", "--abits", "32", "--bits", "4", "--checkpoint", model.toString(),
                "--trigger", "stage2", "--limit", "64", "--cali-batches", "2", "--max-count", "2", "--threads", "1", "-q",
                "--output-dir", dir.resolve("w4a32").toString(), "--json", json.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("defense: lac+pda, academic W4A32");
        JsonNode doc = new ObjectMapper().readTree(json.toFile());
        assertThat(ResultSchema.validate(doc)).isEmpty();
        assertThat(doc.path("phases").fieldNames()).toIterable().containsExactly("fp", "naive_ptq", "lac_pda");
        assertThat(doc.path("quantization").path("activation").asText()).isEqualTo("QScheme[off]");
        assertThat(doc.path("quantization").path("weight").asText()).contains("4-bit");
        assertThat(doc.path("settings").path("abits").asInt()).isEqualTo(32);
        assertThat(doc.path("phases").path("lac_pda").path("cda").asDouble()).isBetween(0.0, 100.0);
    }

    @Test
    void compareRecordsTheWeightsOnlyWidths() throws Exception {
        Path out = dir.resolve("cmp");
        TinyCli.Run r = TinyCli.lac4j("compare", "--checkpoint", model.toString(), "--trigger", "stage2", "--limit", "32",
                "--defenses", "naive,lac", "--bits", "4", "--abits", "32", "--seeds", "1", "--max-count", "1",
                "--cali-batches", "1", "--threads", "1", "-q", "--output-dir", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode doc = new ObjectMapper().readTree(out.resolve("compare.json").toFile());
        assertThat(doc.path("settings").path("widths").toString()).isEqualTo("{\"4\":\"W4A32\"}");
        assertThat(doc.path("runs")).hasSize(2);
    }

    @Test
    void activationBitsOutsideTheGridAreRefused() {
        TinyCli.Run r = TinyCli.lac4j("defend", "lac", "--abits", "16", "--checkpoint", model.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err()).contains("--abits: expected 2..8, or 32 for activations in float, got 16");
    }
}
