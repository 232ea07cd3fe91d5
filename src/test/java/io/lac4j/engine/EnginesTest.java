package io.lac4j.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class EnginesTest {
    @Test
    void startsOfflineAndComputes() {
        Engines.start();
        assertThat(System.getProperty("ai.djl.offline")).isEqualTo("true");
        try (NDManager m = Engines.newBaseManager()) {
            NDArray x = m.create(new float[] {0.5f, 1.5f, 2.5f, -0.5f});
            // torch.round is half-to-even; the quantization code depends on it.
            assertThat(x.round().toFloatArray()).containsExactly(0f, 2f, 2f, -0f);
        }
        assertThat(Engines.torchVersion()).startsWith("2.");
    }
}
