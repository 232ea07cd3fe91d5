package io.lac4j.cli;

import io.lac4j.data.CalibrationConfig;
import io.lac4j.engine.Engines;
import io.lac4j.pipeline.Pipeline;
import io.lac4j.pipeline.QuantizeRequest;
import io.lac4j.pipeline.QuantizeResult;
import io.lac4j.quant.PrepareOptions;
import io.lac4j.quant.QuantPreset;
import io.lac4j.report.ReportWriter;
import io.lac4j.report.ResultFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "quantize",
        header = "Quantize a checkpoint (naive PTQ) and show FP vs quantized CDA, ASR and ASR-no-target side by side.",
        description = "Calibrates fake quantizers exactly as the LAC reference does (activation observers on 32 shuffled"
                + " test batches of 32, then weight observers) and evaluates both models. A QCB's backdoor wakes up here.",
        showDefaultValues = true, sortOptions = false, mixinStandardHelpOptions = true,
        footer = "%nExample:%n  lac4j quantize --checkpoint qcb.pth --scheme academic-w4a4 --trigger stage2 --json out.json")
final class QuantizeCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ModelOptions model;
    @Mixin DataOptions data;

    @Option(names = "--scheme", defaultValue = "academic-w4a4", paramLabel = "NAME",
            description = "academic-w4a4, academic-w8a8, academic-w4 (weights only), academic-a4 (activations only), fbgemm-int8, qnnpack-int8, qu-anti-zation.")
    String scheme;

    @Option(names = "--no-io-8bit", description = "Do not keep the first/last layers and their inputs at 8 bit (MQBench Academic rule).")
    boolean noIo8;

    @Option(names = "--cali-batches", defaultValue = "32", description = "Calibration batches (the reference's cali_batchsize).")
    int caliBatches;

    @Option(names = "--export", paramLabel = "FILE.pth",
            description = "Write the fake-quantized model (.pth) and FILE.int.safetensors (integer weights, scales, zero points).")
    Path export;

    @Option(names = "--export-onnx", paramLabel = "FILE.onnx",
            description = "Write the quantized model as ONNX in QDQ form (opset 21) on exactly this grid, to deploy or to check"
                    + " with `lac4j evaluate --checkpoint FILE.onnx` (ONNX Runtime).")
    Path exportOnnx;

    @Option(names = "--save-calibration", paramLabel = "FILE.safetensors",
            description = "Also write the calibration batches exactly as used (to reproduce the calibration elsewhere).")
    Path saveCalibration;

    @Mixin ReportOptions report;

    @Mixin OutputOptions out;

    @Override
    public Integer call() throws Exception {
        Engines.start(out.threads);
        var preset = QuantPreset.byName(scheme, "--scheme");
        QuantizeRequest req = new QuantizeRequest(model.source(), data.source(), preset.presetName(), preset.config(),
                new PrepareOptions(!noIo8, Map.of(), Map.of()),
                CalibrationConfig.LAC.withBatches(caliBatches, caliBatches), out.seed, export, saveCalibration, report.driftImages, exportOnnx);
        try (ConsoleProgress progress = new ConsoleProgress(System.err, out.quiet)) {
            QuantizeResult r = Pipeline.quantize(req, progress);
            progress.close();
            var w = spec.commandLine().getOut();
            w.println("quantization: " + preset.presetName() + " (" + preset.config().weight() + " / " + preset.config().activation() + ")");
            Tables.phases(w, r.document().phases(), null);
            Tables.onnxChecks(w, r.document().onnxCheck());
            if (export != null) {
                w.println("exported: " + export);
            }
            if (exportOnnx != null) {
                w.println("exported (ONNX QDQ): " + exportOnnx);
            }
            Path dir = report.dir("quantize");
            ReportWriter.writeAll(dir, Reporting.input(r.document(), List.of(), r.drift()));
            w.println("results: " + dir.resolve(ReportWriter.RESULTS) + "  report: " + dir.resolve(ReportWriter.HTML));
            if (out.json != null) {
                ResultFile.write(r.document(), out.json);
                w.println("results: " + out.json);
            }
        }
        return ExitCodes.OK;
    }
}
