package io.lac4j.cli;

import io.lac4j.InputException;
import io.lac4j.data.CalibrationConfig;
import io.lac4j.engine.Engines;
import io.lac4j.pipeline.DataSource;
import io.lac4j.pipeline.Demo;
import io.lac4j.pipeline.ModelSource;
import io.lac4j.pipeline.ResultDocument;
import io.lac4j.ptq.PdaConfig;
import io.lac4j.ptq.ReconstructionConfig;
import io.lac4j.quant.QuantPreset;
import io.lac4j.report.ReportWriter;
import io.lac4j.report.ResultFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "demo",
        header = "The whole story on the embedded data: a QCB model, naive W4A4 PTQ waking its backdoor, LAC and LAC+PDA.",
        description = "Runs FP evaluation, naive academic W4A4 PTQ, LAC and LAC+PDA on lac4j's demo QCB model"
                + " (Fashion-MNIST, CIFAR ResNet-18 with one input channel) and prints one table. Defaults are sized for a"
                + " few minutes on 2 cores; --full uses the reference's settings (max_count 10000, pda_count 500).",
        showDefaultValues = true, sortOptions = false, mixinStandardHelpOptions = true,
        footer = "%nExample:%n  ./lac4j demo%n  ./lac4j demo --full --json demo.json")
final class DemoCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--checkpoint", paramLabel = "FILE", description = "Model to use (default: the committed demo QCB).")
    Path checkpoint;

    @Option(names = "--max-count", defaultValue = "500", description = "Optimisation steps per unit (reference: 10000).")
    int maxCount;

    @Option(names = "--pda-count", defaultValue = "500", description = "PDA steps per cached batch (reference: 500).")
    int pdaCount;

    @Option(names = "--full", description = "Reference settings: max_count 10000, pda_count 500.")
    boolean full;

    @Option(names = "--json", paramLabel = "PATH", description = "Write the table as a results file.")
    Path json;

    @Mixin ReportOptions report;

    @Mixin KernelOption kernels;

    @Option(names = {"-q", "--quiet"}, description = "No progress bars.")
    boolean quiet;

    @Option(names = "--seed", defaultValue = "1005", description = "Seed (the reference's process.seed).")
    long seed;

    @Override
    public Integer call() throws Exception {
        Path model = checkpoint != null ? checkpoint
                : Path.of(System.getProperty("lac4j.home", "."), "models", "demo", "fmnist_qcb.pth");
        if (!Files.isRegularFile(model)) {
            throw new InputException(model + ": demo model not found; pass --checkpoint FILE");
        }
        Engines.start();
        ReconstructionConfig rc = ReconstructionConfig.REFERENCE.withMaxCount(full ? 10_000 : maxCount);
        Demo.Request req = new Demo.Request(ModelSource.of(model, "auto"), new DataSource("fmnist", null, "stage2", 0),
                QuantPreset.ACADEMIC_W4A4.config(), CalibrationConfig.LAC, rc,
                PdaConfig.REFERENCE_ON.withCount(full ? 500 : pdaCount), seed, report.driftImages);
        var w = spec.commandLine().getOut();
        w.println("model: " + model + "  (academic W4A4, trigger stage2, target 0, max_count " + rc.maxCount()
                + ", pda_count " + req.pda().count() + ")");
        w.flush();
        long t0 = System.nanoTime();
        Demo.Result r;
        try (ConsoleProgress progress = new ConsoleProgress(System.err, quiet)) {
            r = Demo.run(req, progress);
        }
        Map<String, ResultDocument.Phase> phases = Demo.phases(r);
        Tables.phases(w, phases, null);
        w.printf("wall time: %.1f s%n", (System.nanoTime() - t0) / 1e9);
        Path dir = report.dir("demo");
        ReportWriter.writeAll(dir, Reporting.input(r.document(), r.pdaUnits(), r.drift()));
        w.println("results: " + dir.resolve(ReportWriter.RESULTS) + "  report: " + dir.resolve(ReportWriter.HTML));
        if (json != null) {
            ResultFile.write(r.document(), json);
            w.println("results: " + json);
        }
        return ExitCodes.OK;
    }
}
