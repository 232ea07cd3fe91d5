package io.lac4j.cli;

import io.lac4j.data.CalibrationConfig;
import io.lac4j.engine.Engines;
import io.lac4j.eval.DriftProfile;
import io.lac4j.eval.LayerDrift;
import io.lac4j.io.AtomicFile;
import io.lac4j.io.Json;
import io.lac4j.pipeline.Drift;
import io.lac4j.pipeline.DriftRequest;
import io.lac4j.pipeline.DriftResult;
import io.lac4j.quant.PrepareOptions;
import io.lac4j.quant.QuantPreset;
import io.lac4j.report.ReportInput;
import io.lac4j.report.ReportWriter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "inspect-drift",
        header = "Show per-layer activation drift between a checkpoint and its quantized self, on clean and triggered inputs.",
        description = "Quantizes and calibrates like `quantize`, then measures at every activation quantizer the mean"
                + " relative L2 distance ||a_q - a_fp|| / ||a_fp|| over the first N test images. The clean curve needs no"
                + " trigger; with --trigger the same images are also measured triggered. Prints a table and a heuristic"
                + " verdict (docs/inspect-drift.md).",
        showDefaultValues = true, sortOptions = false, mixinStandardHelpOptions = true,
        footer = "%nExample:%n  lac4j inspect-drift --checkpoint qcb.pth --scheme academic-w4a4 --trigger stage2 --target 0 --report out/")
final class InspectDriftCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ModelOptions model;
    @Mixin DataOptions data;

    @Option(names = "--scheme", defaultValue = "academic-w4a4", paramLabel = "NAME",
            description = "academic-w4a4, academic-w8a8, academic-w4 (weights only), fbgemm-int8, qnnpack-int8, qu-anti-zation.")
    String scheme;

    @Option(names = "--images", defaultValue = "512", paramLabel = "N", description = "Test images each drift value averages over.")
    int images;

    @Option(names = "--no-io-8bit", description = "Do not keep the first/last layers and their inputs at 8 bit (MQBench Academic rule).")
    boolean noIo8;

    @Option(names = "--cali-batches", defaultValue = "32", description = "Activation calibration batches (the reference's cali_batchsize).")
    int caliBatches;

    @Option(names = "--report", paramLabel = "DIR", description = "Also write results.json, report.md and report.html (with the drift chart) here.")
    Path report;

    @Mixin OutputOptions out;

    @Override
    public Integer call() throws Exception {
        Engines.start(out.threads);
        var preset = QuantPreset.byName(scheme, "--scheme");
        if (images <= 0) {
            throw new io.lac4j.InputException("--images: expected > 0, got " + images);
        }
        DriftRequest req = new DriftRequest(model.source(), data.source(), preset.presetName(), preset.config(),
                new PrepareOptions(!noIo8, Map.of(), Map.of()),
                CalibrationConfig.LAC.withBatches(caliBatches, caliBatches), out.seed, images);
        DriftResult r;
        try (ConsoleProgress progress = new ConsoleProgress(System.err, out.quiet)) {
            r = Drift.inspect(req, progress);
        }
        PrintWriter w = spec.commandLine().getOut();
        w.println("quantization: " + preset.presetName() + "; drift = mean over " + r.profile().images()
                + " images of ||a_q - a_fp|| / ||a_fp||");
        table(w, r.profile());
        w.println("verdict (heuristic): " + r.verdict().level() + " - " + r.verdict().reason());
        if (out.json != null) {
            AtomicFile.writeString(out.json, Json.mapper().writeValueAsString(r.drift()) + "\n");
            w.println("drift: " + out.json);
        }
        if (report != null) {
            ReportWriter.writeAll(report, new ReportInput(r.document(), List.of(), List.of(r.profile())));
            w.println("report: " + report.resolve(ReportWriter.HTML));
        }
        w.flush();
        return ExitCodes.OK;
    }

    static void table(PrintWriter w, DriftProfile p) {
        int width = Math.max(5, p.layers().stream().mapToInt(l -> l.layer().length()).max().orElse(5));
        boolean trig = p.hasTriggered();
        w.printf("%3s  %-" + width + "s %4s %9s%s%n", "#", "layer", "bits", "clean", trig ? String.format(" %9s %10s", "triggered", "trig/clean") : "");
        int i = 0;
        for (LayerDrift l : p.layers()) {
            w.printf("%3d  %-" + width + "s %4d %9.4f%s%n", i++, l.layer(), l.bits(), l.clean(),
                    trig ? String.format(" %9.4f %10s", l.triggered(), l.ratio() == null ? "-" : String.format("%.2f", l.ratio())) : "");
        }
    }
}
