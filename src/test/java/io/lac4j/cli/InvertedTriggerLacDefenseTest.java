package io.lac4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lac4j.io.Checkpoints;
import io.lac4j.report.ResultSchema;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end, tiny: {@code defend lac-inv} inverts the per-class patterns (timed), reconstructs on the
 * stamped images, records its settings and exports the purified model; the same seed gives the same
 * purified weights, and the result is not lac-act's (the stamped images change the reconstruction).
 */
class InvertedTriggerLacDefenseTest {
    @TempDir static Path dir;
    /** A clean width-4 model of the scan corpus (the width-8 fixture doubles the run time; the inversion dominates it). */
    static final Path model = Path.of("models/scan-corpus/clean_w4_s4.pth");

    @BeforeAll
    static void models() {
        TinyCli.assumeFashionMnist();
        assertThat(model).as("run from the project root").exists();
    }

    private static JsonNode defend(String defense, String name) throws Exception {
        Path out = dir.resolve(name);
        Path json = dir.resolve(name + ".json");
        TinyCli.Run r = TinyCli.lac4j("defend", defense, "--checkpoint", model.toString(), "--trigger", "stage2", "--limit", "32",
                "--cali-batches", "2", "--max-count", "20", "--bits", "4", "--threads", "1", "-q",
                "--output-dir", out.toString(), "--json", json.toString());
        assertThat(r.code()).as(r.err()).isZero();
        return new ObjectMapper().readTree(json.toFile());
    }

    private static float[] purified(String name) throws Exception {
        return Checkpoints.read(dir.resolve(name).resolve("purified.pth")).stateDict().get("layer1.0.conv1.weight").toFloatArray();
    }

    @Test
    void defendsRecordsAndIsRepeatable() throws Exception {
        JsonNode doc = defend("lac-inv", "inv1");
        assertThat(ResultSchema.validate(doc)).isEmpty();
        assertThat(doc.path("phases").fieldNames()).toIterable().containsExactly("fp", "naive_ptq", "lac_inv");
        assertThat(doc.path("timings").path("inversion").asDouble()).isPositive();
        assertThat(doc.toString()).contains("inversion_steps").contains("1 in 2 calibration images");
        defend("lac-inv", "inv2");
        defend("lac-act", "act");
        assertThat(purified("inv2")).containsExactly(purified("inv1"));
        assertThat(purified("act")).isNotEqualTo(purified("inv1"));
    }

    @Test
    void refusesAModelThatDoesNotClassify() {
        Path tiny = TinyCli.trainTinyModel(dir);
        TinyCli.Run r = TinyCli.lac4j("defend", "lac-inv", "--checkpoint", tiny.toString(), "--trigger", "stage2", "--limit", "32",
                "--cali-batches", "2", "--max-count", "2", "--threads", "1", "-q", "--output-dir", dir.resolve("one").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("a scan needs a model that classifies");
    }
}
