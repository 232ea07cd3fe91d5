package io.lac4j.cli;

import io.lac4j.InputException;
import io.lac4j.defense.Defense;
import io.lac4j.defense.DefenseOptions;
import io.lac4j.defense.Defenses;
import io.lac4j.defense.FineTuning;
import io.lac4j.defense.QuantAwareDistillation;
import io.lac4j.defense.ResetDistillation;
import io.lac4j.engine.Engines;
import io.lac4j.io.AtomicFile;
import io.lac4j.pipeline.CompareRequest;
import io.lac4j.pipeline.CompareResult;
import io.lac4j.pipeline.DefenseProtocol;
import io.lac4j.pipeline.Pipeline;
import io.lac4j.report.ComparisonReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "compare",
        header = "Compare defenses under one protocol: CDA, ASR, ASR-no-target, DER and wall time, mean ± std over seeds.",
        description = {"Runs every defense (as `lac4j defend` would) at every bit width with seeds --seed, --seed+1, …,"
                + " then writes compare.md, compare.csv, compare.json and compare.png to --output-dir and prints the table.",
                "DER is measured from the deployment's naive PTQ (MQBench Academic unless --deployment) of the same bits and seed."},
        showDefaultValues = true, sortOptions = false, mixinStandardHelpOptions = true,
        footer = {"%nExample:", "  lac4j compare --checkpoint qcb.pth --trigger stage2 --defenses naive,lac,lac+pda,lac-act,efrap,ft --bits 4,8 --seeds 3",
                "  lac4j compare --checkpoint qcb.pth --trigger stage2 --defenses naive,efrap --bits 4 --seeds 1 --max-count 200 --limit 1000"})
final class CompareCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ModelOptions model;
    @Mixin DataOptions data;

    @Option(names = "--defenses", defaultValue = "naive,lac,lac+pda,lac-act,efrap,ft", split = ",", paramLabel = "LIST",
            completionCandidates = DefenseNames.class, description = "Comma-separated, from: ${COMPLETION-CANDIDATES}.")
    List<String> defenses = new ArrayList<>();

    @Option(names = "--bits", defaultValue = "4,8", split = ",", paramLabel = "LIST",
            description = "Bit widths (weights, and activations under academic).")
    List<Integer> bits = new ArrayList<>();

    @Mixin DeploymentOptions deployment;

    @Option(names = "--seeds", defaultValue = "3", description = "Seeds per (defense, bits): --seed, --seed+1, ….")
    int seeds;

    @Option(names = "--max-count", defaultValue = "10000", description = "Reconstruction steps per unit (max_count).")
    int maxCount;

    @Option(names = "--cali-batches", defaultValue = "32", description = "Calibration batches of 32 (cali_batchsize).")
    int caliBatches;

    @Option(names = "--epochs", paramLabel = "N", description = "Training epochs over the clean calibration images for the"
            + " defenses that train (default: each one's own: ft and fine-pruning " + FineTuning.EPOCHS + ", qad "
            + QuantAwareDistillation.EPOCHS + ", qad-reset " + ResetDistillation.EPOCHS
            + ", qad-reset-regrid " + ResetDistillation.REGRID_EPOCHS + ").")
    Integer epochs;

    @Option(names = "--output-dir", paramLabel = "DIR", description = "Where the table files go (default: outputs/compare/<time>).")
    Path outputDir;

    @Option(names = "--scan", description = "Also scan each naive model without the trigger (once per bits and seed) and"
            + " report every defense's trigger-free residual: the recovered pattern's flip rate on the defended model.")
    boolean scan;

    @Option(names = "--range-sweep", split = ",", paramLabel = "F[,F...]",
            description = "Evaluate every defended model again with its activation ranges scaled by each factor (e.g."
                    + " 0.9,0.95,1.05,1.1, as defend --range-sweep) and report each run's worst ASR-no-target over them.")
    List<Double> rangeSweep;

    @Option(names = "--scan-steps", defaultValue = "40", description = "Optimisation steps per inversion of --scan.")
    int scanSteps;

    @Mixin OutputOptions out;

    @Override
    public Integer call() throws java.io.IOException {
        List<Defense> list = new ArrayList<>();
        for (String d : defenses) {
            list.add(Defenses.byName(d.trim(), "--defenses"));
        }
        Defenses.checkOptionsRead(list, DefendCommand.givenOptions(spec));
        CompareRequest req;
        try {
            req = new CompareRequest(new DefenseProtocol(model.source(), data.source(), bits.get(0), deployment.abits, caliBatches,
                    maxCount, DefenseOptions.epochsOption(epochs), out.seed, deployment.deployment()), list, bits, seeds,
                    scan ? io.lac4j.scan.ScanConfig.DEFAULT.withSteps(scanSteps) : null, rangeSweep);
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage(), e);
        }
        Path dir = outputDir != null ? outputDir : RunFolders.stamped("outputs", "compare");
        Engines.start(out.threads);
        CompareResult r;
        try (ConsoleProgress progress = new ConsoleProgress(System.err, out.quiet)) {
            r = Pipeline.compare(req, progress);
        }
        var w = spec.commandLine().getOut();
        w.print(ComparisonReport.table(r.document().rows()));
        ComparisonReport.writeAll(dir, r.document(), CommandLines.of(spec));
        w.println("table: " + dir.resolve(ComparisonReport.MARKDOWN) + "  csv: " + dir.resolve(ComparisonReport.CSV)
                + "  chart: " + dir.resolve(ComparisonReport.CHART));
        if (out.json != null) {
            AtomicFile.writeString(out.json, ComparisonReport.json(r.document()));
            w.println("results: " + out.json);
        }
        w.flush();
        return ExitCodes.OK;
    }
}
