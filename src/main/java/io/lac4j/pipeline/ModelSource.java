package io.lac4j.pipeline;

import java.nio.file.Path;

/**
 * Which model to load: a checkpoint and an architecture name ({@code auto} infers it from the
 * checkpoint's keys and shapes). {@code strict} refuses missing/unexpected keys; the reference
 * loads with {@code strict=False}.
 */
public record ModelSource(Path checkpoint, String arch, boolean strict, String flag) {
    public ModelSource {
        if (checkpoint == null) {
            throw new IllegalArgumentException("checkpoint must be given");
        }
        arch = arch == null ? "auto" : arch;
        flag = flag == null ? "--checkpoint" : flag;
    }

    public static ModelSource of(Path checkpoint, String arch) {
        return new ModelSource(checkpoint, arch, false, "--checkpoint");
    }
}
