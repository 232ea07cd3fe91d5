package io.lac4j.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lac4j.data.CalibrationConfig;
import io.lac4j.engine.Progress;
import io.lac4j.io.Checkpoints;
import io.lac4j.io.StateDict;
import io.lac4j.ptq.PdaConfig;
import io.lac4j.ptq.ReconstructionConfig;
import io.lac4j.quant.PrepareOptions;
import io.lac4j.quant.QuantPreset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interrupt-and-resume gives the same final weights as an uninterrupted run with the same seed
 * (small settings: 4 calibration batches, 5 steps per unit, PDA 3 steps).
 */
class PurifyResumeTest {
    static PurifyRequest request(Path out, boolean resume) {
        return new PurifyRequest(ModelSource.of(FmnistFixture.checkpoint(), "auto"),
                new DataSource("fmnist", null, "stage2", 0, 300), QuantPreset.ACADEMIC_W4A4.config(), PrepareOptions.ACADEMIC,
                CalibrationConfig.LAC.withBatches(4, 4), true, ReconstructionConfig.REFERENCE.withMaxCount(5),
                new PdaConfig(true, 3, 1e-3, 1e-3, false, false, true), "lac", 1005, out, resume, Map.of("max_count", 5), 0);
    }

    /** Stops the run (as Ctrl-C would) once {@code units} units are finished. */
    static final class Interrupt extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    @Test
    void resumedRunEqualsUninterruptedRun(@TempDir Path dir) {
        FmnistFixture.assumeDataInstalled();
        Path full = dir.resolve("full");
        PurifyResult reference = Pipeline.purify(request(full, false), Progress.NONE);
        assertThat(reference.units()).hasSize(21);

        Path cut = dir.resolve("cut");
        int[] finished = {0};
        Progress stopAfterFourUnits = (task, done, total, detail) -> {
            if (Files.exists(cut.resolve("state/progress.json")) && countUnits(cut) >= 4) {
                throw new Interrupt();
            }
        };
        assertThatThrownBy(() -> Pipeline.purify(request(cut, false), stopAfterFourUnits)).isInstanceOf(Interrupt.class);
        finished[0] = countUnits(cut);
        assertThat(finished[0]).isBetween(4, 20);

        PurifyResult resumed = Pipeline.purify(request(cut, true), Progress.NONE);
        StateDict a = Checkpoints.read(reference.purifiedModel()).stateDict();
        StateDict b = Checkpoints.read(resumed.purifiedModel()).stateDict();
        assertThat(b.keys()).isEqualTo(a.keys());
        for (String k : a.keys()) {
            assertThat(b.get(k).toFloatArray()).as(k).containsExactly(a.get(k).toFloatArray());
        }
        assertThat(resumed.purified().cda()).isEqualTo(reference.purified().cda());
        assertThat(resumed.units()).hasSize(21);
    }

    @Test
    void resumeWithOtherSettingsIsRefused(@TempDir Path dir) {
        FmnistFixture.assumeDataInstalled();
        assertThatThrownBy(() -> Pipeline.purify(request(dir, true), Progress.NONE))
                .hasMessageContaining("no saved purify state");
    }

    private static int countUnits(Path run) {
        try (var files = Files.list(run.resolve("units"))) {
            return (int) files.count();
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
