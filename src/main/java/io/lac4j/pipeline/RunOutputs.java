package io.lac4j.pipeline;

import io.lac4j.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Finding what a purify or defend run folder handed over (export --run, scan --run). */
public final class RunOutputs {
    private RunOutputs() {}

    /**
     * The one file of {@code runDir} whose name ends with {@code suffix}.
     *
     * @param hint appended to the message when there is none (empty: nothing)
     */
    public static Path single(Path runDir, String suffix, String hint) {
        if (!Files.isDirectory(runDir)) {
            throw new InputException(runDir + ": run folder not found; pass --run RUN_DIR (a purify or defend output folder)");
        }
        List<Path> files;
        try (Stream<Path> all = Files.list(runDir)) {
            files = all.filter(f -> f.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new InputException(runDir + ": cannot list the run folder: " + e.getMessage());
        }
        if (files.size() != 1) {
            throw new InputException(runDir + ": expected one defended model as " + suffix + ", got "
                    + (files.isEmpty() ? "none" + hint : files.stream().map(p -> p.getFileName().toString()).toList()));
        }
        return files.get(0);
    }
}
