package io.lac4j.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.lac4j.InputException;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Randomly corrupted or truncated copies of valid checkpoints either load or fail with an
 * InputException: never another exception type, an OutOfMemoryError or a hang.
 */
class CorruptionProperties {
    private static final String[] SOURCES = {
        "mixed.pth",
        "mixed_legacy.pth",
        "mixed.safetensors",
        "wrapped_net.pth",
        "wrapped_net_legacy.pth",
        "small_protocol4.pth"
    };

    @TempDir Path dir;

    static Stream<Arguments> cases() {
        SplittableRandom r = new SplittableRandom(Long.getLong("lac4j.fuzzSeed", 0xBADC0DEL));
        return IntStream.range(0, Integer.getInteger("lac4j.fuzzCases", 300))
                .mapToObj(i -> Arguments.of(i, SOURCES[i % SOURCES.length], r.nextLong()));
    }

    @ParameterizedTest(name = "case {0}: {1}")
    @MethodSource("cases")
    @Timeout(value = 120, unit = TimeUnit.SECONDS)   // hang guard (a corrupt file must not loop), not a speed target
    void corruptedFilesFailCleanly(int i, String source, long seed) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] bytes = Files.readAllBytes(IoFixtures.path(source));
        if (r.nextInt(4) == 0) {
            bytes = java.util.Arrays.copyOf(bytes, r.nextInt(bytes.length));
        } else {
            int flips = 1 + r.nextInt(4);
            for (int f = 0; f < flips; f++) {
                int at = r.nextInt(bytes.length);
                bytes[at] =
                        r.nextBoolean()
                                ? (byte) r.nextInt(256)
                                : (byte) (bytes[at] ^ (1 << r.nextInt(8)));
            }
        }
        Path file = Files.write(dir.resolve("c" + i + "-" + source), bytes);
        try {
            LoadedCheckpoint c = Checkpoints.read(file);
            assertThat(c.stateDict().size()).isPositive();
        } catch (InputException expected) {
            assertThat(expected.getMessage()).startsWith(file.toString());
        }
    }
}
