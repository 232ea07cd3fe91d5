package io.lac4j.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class NativeMemoryTest {
    @Test
    void theEngineStartsOneDaemonTrimmerOnGlibc() {
        assumeTrue(Files.exists(Path.of("/lib/x86_64-linux-gnu/libc.so.6")) || Files.exists(Path.of("/lib64/libc.so.6")),
                "glibc not found");
        Engines.start();
        NativeMemory.startTrimmer();        // idempotent
        long trimmers = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("lac4j-malloc-trim")).peek(t -> assertThat(t.isDaemon()).isTrue()).count();
        assertThat(trimmers).isEqualTo(1);
    }
}
