package io.lac4j.cli;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/** Run folders as the reference names them: {@code <output_dir>/<task>/<yyyy-MM-dd_HH-mm-ss>}. */
final class RunFolders {
    private RunFolders() {}

    static Path stamped(String outputDir, String task) {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd_HH-mm-ss"));
        return Path.of(outputDir, task, stamp);
    }
}
