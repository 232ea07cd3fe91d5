package io.lac4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lac4j.engine.Progress;
import io.lac4j.io.Checkpoints;
import io.lac4j.pipeline.DataSource;
import io.lac4j.pipeline.EvaluateResult;
import io.lac4j.pipeline.ModelSource;
import io.lac4j.pipeline.Pipeline;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The committed demo model is the file its manifest describes, made by lac4j, with the FP metrics it records. */
class DemoModelTest {
    private static final Path DIR = Path.of("models", "demo");

    private static JsonNode manifest() throws Exception {
        return new ObjectMapper().readTree(DIR.resolve("fmnist_qcb.json").toFile());
    }

    @Test
    void manifestMatchesTheCommittedModel() throws Exception {
        JsonNode manifest = manifest();
        Path model = DIR.resolve(manifest.get("file").asText());
        assertThat(Checkpoints.sha256(model)).isEqualTo(manifest.get("sha256").asText());
        assertThat(Checkpoints.read(model).stateDict().keys()).contains("conv1.weight", "linear.weight");
        assertThat(manifest.at("/data/trigger").asText()).isEqualTo("stage2");
        assertThat(manifest.get("command_line").asText()).startsWith("lac4j attack ");
    }

    @Test
    void fpMetricsAreTheManifests() throws Exception {
        assumeTrue(Files.isRegularFile(Path.of("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz")),
                "dataset-fashion-mnist is not installed");
        JsonNode manifest = manifest();
        JsonNode fp = manifest.at("/final_metrics/fp");
        EvaluateResult r = Pipeline.evaluate(ModelSource.of(DIR.resolve(manifest.get("file").asText()), "auto"),
                new DataSource("fmnist", null, manifest.at("/data/trigger").asText(), manifest.at("/data/target").asInt()),
                1005, Progress.NONE);
        assertThat(r.fp().clean().n()).isEqualTo(fp.get("n").asLong());
        // the manifest rounds to 4 decimals; the same engine on another CPU may flip a borderline image
        assertThat(r.fp().cda()).isCloseTo(fp.get("cda").asDouble(), offset(0.05));
        assertThat(r.fp().asrNt()).isCloseTo(fp.get("asr_no_target").asDouble(), offset(0.05));
    }
}
