package io.lac4j.cli;

import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code --json}, {@code -q}, {@code -x}, {@code --seed}, {@code --threads}, {@code --kernels}. */
public final class OutputOptions {
    @Option(names = "--json", paramLabel = "PATH", description = "Also write the results file (schema lac4j.results/1) here.")
    Path json;

    @Option(names = {"-q", "--quiet"}, description = "No progress bars.")
    boolean quiet;

    @Option(names = {"-x", "--stacktrace"}, description = "Show stack traces for errors.")
    boolean stacktrace;

    @Option(names = "--seed", defaultValue = "1005", description = "Seed for every random draw (the reference's process.seed).")
    long seed;

    @Option(names = "--threads", defaultValue = "0", description = "Intra-op threads (0 = one per core).")
    int threads;

    @Mixin KernelOption kernels;
}
