package io.lac4j.cli;

import io.lac4j.engine.EngineException;
import io.lac4j.engine.EngineFacts;
import io.lac4j.engine.Engines;
import io.lac4j.io.AtomicFile;
import io.lac4j.io.Json;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "doctor",
        header = "Print the engine facts and run the engine self-check.",
        description = "Starts the native engine as every computing command does: applies the kernel choice (--kernels,"
                + " LAC4J_KERNELS), runs the known-answer self-check of convolution, linear, pooling and batch norm"
                + " against a plain-Java reference, and prints libtorch and oneDNN versions, the kernels in use, the"
                + " oneDNN instruction set, ATen's CPU capability, threads, the CPU and the self-check result."
                + " Exit 0 when the self-check passes, 1 when it fails.",
        showDefaultValues = true, sortOptions = false, mixinStandardHelpOptions = true,
        footer = "%nExamples:%n  lac4j doctor%n  lac4j doctor --kernels onednn --json engine.json")
final class DoctorCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--threads", defaultValue = "0", description = "Intra-op threads (0 = one per core).")
    int threads;

    @Option(names = "--json", paramLabel = "PATH", description = "Also write the facts as JSON here.")
    Path json;

    @Mixin KernelOption kernels;

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        EngineException failure = null;
        try {
            Engines.start(threads);
        } catch (EngineException e) {
            failure = e;
        }
        EngineFacts f = Engines.lastFacts().orElseThrow(() -> new IllegalStateException("the engine did not start"));
        Map<String, Object> m = f.asMap();
        for (Map.Entry<String, Object> e : m.entrySet()) {
            if (!e.getKey().equals("self_check")) {
                w.printf("%-20s %s%n", e.getKey().replace('_', ' ') + ":", e.getValue());
            }
        }
        w.println("self-check: " + f.selfCheck());
        w.flush();
        if (json != null) {
            AtomicFile.writeString(json, Json.mapper().writeValueAsString(m) + "\n");
        }
        if (failure != null) {
            spec.commandLine().getErr().println("failed: " + failure.getMessage());
            return ExitCodes.FAILED;
        }
        return ExitCodes.OK;
    }
}
