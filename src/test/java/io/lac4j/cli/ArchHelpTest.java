package io.lac4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lac4j.models.Arch;
import org.junit.jupiter.api.Test;

/** Every architecture {@code --arch} accepts is listed in the help of the commands that take it. */
class ArchHelpTest {
    @Test
    void helpListsEveryArchitecture() {
        for (String command : new String[] {"evaluate", "quantize", "defend"}) {
            TinyCli.Run r = TinyCli.lac4j(command, "--help");
            assertThat(r.code()).isZero();
            String help = r.out().replaceAll("\\s+", " ");
            for (Arch a : Arch.values()) {
                assertThat(help).as(command + " --help").contains(a.cliName());
            }
        }
    }
}
