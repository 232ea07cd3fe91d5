package io.lac4j.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.lac4j.engine.Progress;
import io.lac4j.models.Arch;
import org.junit.jupiter.api.Test;

/** `evaluate` on the full Fashion-MNIST test set gives PyTorch's CDA and ASRs (to 0.01 %). */
class EvaluateIntegrationTest {
    @Test
    void matchesPyTorchOnTheFixtureModel() throws Exception {
        FmnistFixture.assumeDataInstalled();
        JsonNode torch = FmnistFixture.torchMetrics();
        EvaluateResult r = Pipeline.evaluate(ModelSource.of(FmnistFixture.checkpoint(), "auto"),
                new DataSource("fmnist", null, "stage2", 0), 1005, Progress.NONE);
        assertThat(r.spec().arch()).isEqualTo(Arch.RESNET18_CIFAR);
        assertThat(r.spec().inChannels()).isEqualTo(1);
        assertThat(r.spec().width()).isEqualTo(8);
        assertThat(r.inference()).contains("resnet18-cifar");
        assertThat(r.load().complete()).isTrue();
        assertThat(r.fp().cda()).isCloseTo(torch.get("cda").asDouble(), within(0.01));
        assertThat(r.fp().asrAll()).isCloseTo(torch.get("asr").asDouble(), within(0.01));
        assertThat(r.fp().asrNt()).isCloseTo(torch.get("asr_no_target").asDouble(), within(0.01));
        assertThat(r.fp().clean().n()).isEqualTo(10000);
        assertThat(r.fp().asrNoTarget().n()).isEqualTo(9000);
        assertThat(r.document().phases()).containsOnlyKeys("fp");
    }
}
