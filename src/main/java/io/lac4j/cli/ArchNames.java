package io.lac4j.cli;

import io.lac4j.models.Arch;
import java.util.Arrays;
import java.util.Iterator;

/** Every architecture {@code --arch} names besides auto (canonical names), for picocli's help and completion. */
final class ArchNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
        return Arrays.stream(Arch.values()).filter(a -> a != Arch.AUTO).map(Arch::cliName).iterator();
    }
}
