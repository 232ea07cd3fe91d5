package io.lac4j.cli;

import io.lac4j.InputException;
import io.lac4j.io.Checkpoints;
import io.lac4j.io.LoadedCheckpoint;
import io.lac4j.io.TensorData;
import io.lac4j.models.ArchInference;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "inspect-checkpoint", aliases = "inspect",
        header = "List a checkpoint's keys, shapes and dtypes, and the architecture lac4j infers.",
        showDefaultValues = true, mixinStandardHelpOptions = true,
        footer = "%nExample:%n  lac4j inspect-checkpoint qcb.pth")
final class InspectCheckpointCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "Checkpoint to inspect.")
    Path file;

    @Override
    public Integer call() {
        LoadedCheckpoint ck = Checkpoints.read(file);
        var w = spec.commandLine().getOut();
        w.println("file:    " + file + " (" + ck.format() + ", sha256 " + ck.sha256() + ")");
        w.println("content: " + ck.describeUnwrap());
        if (!ck.metadata().isEmpty()) {
            w.println("metadata: " + ck.metadata());
        }
        Map<String, long[]> shapes = new LinkedHashMap<>();
        long params = 0;
        for (Map.Entry<String, TensorData> e : ck.stateDict().entries()) {
            TensorData t = e.getValue();
            shapes.put(e.getKey(), t.shape());
            params += t.numel();
            w.printf("  %-48s %-10s %s%n", e.getKey(), t.dtype().toString().toLowerCase(java.util.Locale.ROOT),
                    Arrays.toString(t.shape()));
        }
        w.printf("%d tensors, %,d values%n", shapes.size(), params);
        try {
            ArchInference.Inferred inf = ArchInference.infer(shapes);
            w.println("architecture: " + inf.spec().describe());
            w.println("  because " + inf.explanation());
        } catch (InputException e) {
            w.println("architecture: not recognised (" + e.getMessage() + ")");
        }
        return ExitCodes.OK;
    }
}
