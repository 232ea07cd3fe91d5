package io.lac4j.cli;

import io.lac4j.InputException;
import io.lac4j.deploy.OnnxRuntimeModel;
import io.lac4j.pipeline.RunOutputs;
import io.lac4j.io.AtomicFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "export",
        header = "Hand over the deployable model of a purify / defend run: ONNX in QDQ form on exactly the grid lac4j evaluated.",
        description = {"A purify or defend run folder holds its defended model as .pth, .int.safetensors and .onnx (QDQ, opset 21:"
                + " integer weights with their scales and zero points, QuantizeLinear/DequantizeLinear at every activation"
                + " quantizer). export checks the ONNX file in ONNX Runtime, prints its metadata (lac4j's CDA / ASR) and copies it"
                + " to --out. For a naive model: lac4j quantize --export-onnx FILE.onnx.",
                "Check it in the runtime: lac4j evaluate --checkpoint FILE.onnx --trigger … (ONNX Runtime, same metrics)."},
        showDefaultValues = true, sortOptions = false, mixinStandardHelpOptions = true,
        footer = {"%nExample:", "  lac4j export --run outputs/qu_fmnist/2026-12-03T10-00-00 --format onnx --out purified.onnx"})
final class ExportCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--run", required = true, paramLabel = "RUN_DIR", description = "A purify or defend run folder.")
    Path run;

    @Option(names = "--format", defaultValue = "onnx", paramLabel = "FORMAT", description = "onnx (the only format).")
    String format;

    @Option(names = "--out", paramLabel = "FILE.onnx", description = "Where the model goes (default: print where it is).")
    Path out;

    @Override
    public Integer call() throws IOException {
        if (!format.equals("onnx")) {
            throw new InputException("--format: expected onnx, got '" + format + "'");
        }
        Path model = RunOutputs.single(run, ".onnx",
                " (runs of lac4j before ONNX export wrote none: run again; naive PTQ: quantize --export-onnx)");
        Map<String, String> meta;
        try (OnnxRuntimeModel ort = OnnxRuntimeModel.open(model, 1)) {
            meta = ort.metadata();
        }
        var w = spec.commandLine().getOut();
        w.println("model: " + model + " (loads in ONNX Runtime)");
        meta.forEach((k, v) -> w.println("  " + k + ": " + v));
        if (out != null) {
            AtomicFile.write(out, Files.readAllBytes(model));
            w.println("exported: " + out);
        }
        w.flush();
        return ExitCodes.OK;
    }
}
