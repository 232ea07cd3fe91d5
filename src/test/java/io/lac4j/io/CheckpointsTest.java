package io.lac4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lac4j.InputException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

class CheckpointsTest {
    @TempDir Path dir;

    private Path file(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    @Test
    void unknownFormatsGetAHint() throws IOException {
        byte[] tar = new byte[600];
        System.arraycopy("ustar".getBytes(), 0, tar, 257, 5);
        assertThatThrownBy(() -> Checkpoints.read(file("old.pth", tar)))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("PyTorch < 0.4 checkpoints are not supported");
        assertThatThrownBy(
                        () -> Checkpoints.read(file("x.gz", new byte[] {0x1f, (byte) 0x8b, 8, 0})))
                .hasMessageEndingWith("got bytes 1f 8b 08 00 (gzip; decompress it first)");
        assertThatThrownBy(
                        () ->
                                Checkpoints.read(
                                        file("p1.pkl", new byte[] {(byte) 0x80, 1, 'N', '.'})))
                .hasMessageContaining("(a pickle of unsupported protocol 1)");
        assertThatThrownBy(() -> Checkpoints.read(dir.resolve("missing.pth")))
                .isInstanceOf(InputException.class)
                .hasMessageEndingWith("missing.pth: file not found");
        assertThatThrownBy(() -> Checkpoints.read(dir))
                .isInstanceOf(InputException.class)
                .hasMessageEndingWith("expected a checkpoint file, got a directory");
        assertThatThrownBy(() -> Checkpoints.read(Path.of("/dev/zero")))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("expected a regular checkpoint file");
    }

    @Test
    void sha256IsOfTheFileBytes() throws IOException {
        Path f = file("abc.bin", "abc".getBytes());
        assertThat(Checkpoints.sha256(f))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void emptySafetensorsHasNoStateDict() throws IOException {
        Path f = dir.resolve("e.safetensors");
        SafetensorsWriter.write(f, StateDict.empty());
        assertThat(SafetensorsReader.read(f).stateDict().size()).isZero();
        assertThatThrownBy(() -> Checkpoints.read(f))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("expected at least one tensor");
    }
}
