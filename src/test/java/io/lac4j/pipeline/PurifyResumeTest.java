package io.lac4j.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lac4j.data.CalibrationConfig;
import io.lac4j.engine.Progress;
import io.lac4j.io.Checkpoints;
import io.lac4j.io.StateDict;
import io.lac4j.ptq.Pattern;
import io.lac4j.ptq.PdaConfig;
import io.lac4j.ptq.ReconstructionConfig;
import io.lac4j.quant.PrepareOptions;
import io.lac4j.quant.QuantConfig;
import io.lac4j.quant.QuantizerKind;
import io.lac4j.quant.QuantPreset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Interrupt-and-resume gives the same final weights as an uninterrupted run with the same seed
 * (small settings: 4 calibration batches, 5 steps per unit, PDA 3 steps).
 */
class PurifyResumeTest {
    static PurifyRequest request(Path out, boolean resume) {
        return request(out, resume, "lac");
    }

    /** lac-act: LSQ+ activation quantizers learned inside block units (their (s, z) are unit state too). */
    static PurifyRequest request(Path out, boolean resume, String method) {
        boolean act = method.equals("lac-act");
        QuantConfig qc = QuantPreset.ACADEMIC_W4A4.config();
        ReconstructionConfig rc = ReconstructionConfig.REFERENCE.withMaxCount(5);
        if (act) {
            qc = qc.withKinds(qc.weightObserver(), qc.activationObserver(), qc.weightQuantizer(), QuantizerKind.LEARNABLE);
            rc = new ReconstructionConfig(Pattern.BLOCK, 5, 1e-2, rc.warmUp(), rc.weight(), rc.bRange(), rc.roundMode(),
                    rc.prob(), rc.weightLr(), true);
        }
        return new PurifyRequest(ModelSource.of(FmnistFixture.checkpoint(), "auto"),
                new DataSource("fmnist", null, "stage2", 0, 300), qc, PrepareOptions.ACADEMIC,
                CalibrationConfig.LAC.withBatches(4, 4), true, rc,
                new PdaConfig(true, 3, 1e-3, 1e-3, false, false, true), method, 1005, out, resume, Map.of("max_count", 5), 0);
    }

    /** Stops the run (as Ctrl-C would) once {@code units} units are finished. */
    static final class Interrupt extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    @ParameterizedTest
    @CsvSource({"lac, 21", "lac-act, 10"})
    void resumedRunEqualsUninterruptedRun(String method, int unitCount, @TempDir Path dir) {
        FmnistFixture.assumeDataInstalled();
        Path full = dir.resolve("full");
        PurifyResult reference = Pipeline.purify(request(full, false, method), Progress.NONE);
        assertThat(reference.units()).hasSize(unitCount);

        Path cut = dir.resolve("cut");
        int[] finished = {0};
        Progress stopAfterFourUnits = (task, done, total, detail) -> {
            if (Files.exists(cut.resolve("state/progress.json")) && countUnits(cut) >= 4) {
                throw new Interrupt();
            }
        };
        assertThatThrownBy(() -> Pipeline.purify(request(cut, false, method), stopAfterFourUnits)).isInstanceOf(Interrupt.class);
        finished[0] = countUnits(cut);
        assertThat(finished[0]).isBetween(4, unitCount - 1);

        PurifyResult resumed = Pipeline.purify(request(cut, true, method), Progress.NONE);
        assertSameTensors(Checkpoints.read(reference.purifiedModel()).stateDict(),
                Checkpoints.read(resumed.purifiedModel()).stateDict());
        // integer weights, scales and zero points, activation quantizers included
        assertSameTensors(Checkpoints.read(intFile(reference.purifiedModel())).stateDict(),
                Checkpoints.read(intFile(resumed.purifiedModel())).stateDict());
        assertThat(resumed.purified().cda()).isEqualTo(reference.purified().cda());
        assertThat(resumed.purified().asrNt()).isEqualTo(reference.purified().asrNt());
        assertThat(resumed.units()).hasSize(unitCount);
    }

    @Test
    void resumeWithOtherSettingsIsRefused(@TempDir Path dir) {
        FmnistFixture.assumeDataInstalled();
        assertThatThrownBy(() -> Pipeline.purify(request(dir, true), Progress.NONE))
                .hasMessageContaining("no saved purify state");
    }

    private static Path intFile(Path pth) {
        return pth.resolveSibling(pth.getFileName().toString().replaceFirst("\\.pth$", ".int.safetensors"));
    }

    private static void assertSameTensors(StateDict a, StateDict b) {
        assertThat(b.keys()).isEqualTo(a.keys());
        for (String k : a.keys()) {
            assertThat(b.get(k).toFloatArray()).as(k).containsExactly(a.get(k).toFloatArray());
        }
    }

    private static int countUnits(Path run) {
        try (var files = Files.list(run.resolve("units"))) {
            return (int) files.count();
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
