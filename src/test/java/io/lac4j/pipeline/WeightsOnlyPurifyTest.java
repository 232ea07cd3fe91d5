package io.lac4j.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.lac4j.data.CalibrationConfig;
import io.lac4j.engine.Progress;
import io.lac4j.ptq.PdaConfig;
import io.lac4j.ptq.ReconstructionConfig;
import io.lac4j.quant.PrepareOptions;
import io.lac4j.quant.QuantPreset;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Purify with activations left in float (32-bit activation "quantizers", the weights-only protocol
 * EFRAP and the weight-rounding papers report). A 32-bit quantizer hands on its input array itself,
 * so the activation cache held one array under two names and freed it while PDA still needed it
 * ("Native resource has been released already" after the naive evaluation).
 */
class WeightsOnlyPurifyTest {
    @Test
    void purifiesWithActivationsInFloatAndPda(@TempDir Path dir) {
        FmnistFixture.assumeDataInstalled();
        PurifyRequest req = new PurifyRequest(ModelSource.of(FmnistFixture.checkpoint(), "auto"),
                new DataSource("fmnist", null, "stage2", 0, 200), QuantPreset.ACADEMIC_W4.config(), PrepareOptions.ACADEMIC,
                CalibrationConfig.LAC.withBatches(2, 2), true, ReconstructionConfig.REFERENCE.withMaxCount(3),
                new PdaConfig(true, 3, 1e-3, 1e-3, false, false, true), "lac", 1005, dir, false, Map.of("max_count", 3), 0);
        PurifyResult r = Pipeline.purify(req, Progress.NONE);
        assertThat(r.units()).hasSize(21);
        assertThat(r.units()).allSatisfy(u -> assertThat(Float.isFinite(u.lastLoss())).as(u.name()).isTrue());
        assertThat(r.units().stream().filter(io.lac4j.ptq.UnitReport::pdaApplied).count()).isPositive();
        assertThat(r.purified().cda()).isGreaterThan(50);
    }
}
