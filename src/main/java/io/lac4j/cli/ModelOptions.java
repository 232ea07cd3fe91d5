package io.lac4j.cli;

import io.lac4j.pipeline.ModelSource;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --checkpoint}, {@code --arch}, {@code --strict}: the model half of the CLI vocabulary. */
public final class ModelOptions {
    @Option(names = "--checkpoint", required = true, paramLabel = "FILE",
            description = "PyTorch checkpoint (.pth zip or legacy, or .safetensors).")
    Path checkpoint;

    @Option(names = "--arch", defaultValue = "auto", paramLabel = "NAME", completionCandidates = ArchNames.class,
            description = "Architecture: auto (inferred from the checkpoint's keys and shapes) or one of ${COMPLETION-CANDIDATES};"
                    + " a named one is loaded as given and every key that does not fit is reported.")
    String arch;

    @Option(names = "--strict", description = "Refuse missing or unexpected keys (the reference loads non-strictly).")
    boolean strict;

    public ModelSource source() {
        return new ModelSource(checkpoint, arch, strict, "--checkpoint");
    }
}
