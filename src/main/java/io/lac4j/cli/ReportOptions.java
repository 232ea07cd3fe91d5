package io.lac4j.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where a run's results.json / report.md / report.html go, and how many images its drift profiles use. */
final class ReportOptions {
    @Option(names = "--output-dir", paramLabel = "DIR",
            description = "Where results.json, report.md and report.html go (default: outputs/<command>/<time>).")
    Path outputDir;

    @Option(names = "--drift-images", defaultValue = "256",
            description = "Images per FP-vs-quantized activation-drift profile in the report (0 = none).")
    int driftImages;

    /** The folder for this run: {@code --output-dir}, else a new time-stamped one under outputs/{@code task}. */
    Path dir(String task) {
        return outputDir != null ? outputDir : RunFolders.stamped("outputs", task);
    }
}
