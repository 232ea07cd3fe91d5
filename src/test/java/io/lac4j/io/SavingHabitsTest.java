package io.lac4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lac4j.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * State dicts saved from a torch.compile'd model ({@code _orig_mod.}) and from an EMA/SWA
 * {@code AveragedModel} ({@code module.} plus {@code n_averaged}), written by PyTorch
 * ({@code tools/fixtures/gen_io.py saving_habits}), read back to the plain model's tensors.
 */
class SavingHabitsTest {
    @Test
    void compiledModelPrefixIsStripped() {
        LoadedCheckpoint c = Checkpoints.read(IoFixtures.path("compiled.pth"));
        IoFixtures.assertMatches(c.stateDict(), IoFixtures.expected("habits"));
        assertThat(c.describeUnwrap()).isEqualTo("stripped \"_orig_mod.\"");
    }

    @Test
    void averagedModelPrefixIsStrippedAndItsCounterDropped() {
        LoadedCheckpoint c = Checkpoints.read(IoFixtures.path("ema_averaged.pth"));
        IoFixtures.assertMatches(c.stateDict(), IoFixtures.expected("habits"));
        assertThat(c.describeUnwrap()).isEqualTo("dropped AveragedModel's \"n_averaged\", stripped \"module.\"");
    }

    @Test
    void averagedCompiledModelUnderAWrapperKey() {
        LoadedCheckpoint c = Checkpoints.read(IoFixtures.path("ema_compiled.pth"));
        IoFixtures.assertMatches(c.stateDict(), IoFixtures.expected("habits"));
        assertThat(c.describeUnwrap()).isEqualTo(
                "unwrapped \"model\", dropped AveragedModel's \"n_averaged\", stripped \"module.\", stripped \"_orig_mod.\"");
    }

    @Test
    void aTruncatedCompiledCheckpointIsRefusedNamingTheFile(@TempDir Path dir) throws Exception {
        byte[] all = Files.readAllBytes(IoFixtures.path("compiled.pth"));
        Path cut = dir.resolve("cut.pth");
        Files.write(cut, java.util.Arrays.copyOf(all, all.length / 2));
        assertThatThrownBy(() -> Checkpoints.read(cut)).isInstanceOf(InputException.class).hasMessageStartingWith(cut.toString());
    }

    @Test
    void aRoundTripThroughPthWriterKeepsThePlainKeys(@TempDir Path dir) {
        StateDict sd = Checkpoints.read(IoFixtures.path("ema_compiled.pth")).stateDict();
        Path out = dir.resolve("plain.pth");
        PthWriter.write(out, sd);
        LoadedCheckpoint again = Checkpoints.read(out);
        IoFixtures.assertMatches(again.stateDict(), IoFixtures.expected("habits"));
        assertThat(again.describeUnwrap()).isEqualTo("bare state dict");
    }
}
