package io.lac4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lac4j.io.Checkpoints;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The committed demo model is the file its manifest describes, and it loads. */
class DemoModelTest {
    @Test
    void manifestMatchesTheCommittedModel() throws Exception {
        Path dir = Path.of("models", "demo");
        JsonNode manifest = new ObjectMapper().readTree(dir.resolve("fmnist_qcb.json").toFile());
        Path model = dir.resolve(manifest.get("file").asText());
        assertThat(Checkpoints.sha256(model)).isEqualTo(manifest.get("sha256").asText());
        assertThat(Checkpoints.read(model).stateDict().keys()).contains("conv1.weight", "linear.weight");
        assertThat(manifest.get("trigger").asText()).isEqualTo("stage2");
    }
}
