package io.lac4j.cli;

import io.lac4j.InputException;
import io.lac4j.defense.Defense;
import io.lac4j.defense.DefenseOptions;
import io.lac4j.defense.Defenses;
import io.lac4j.defense.FineTuning;
import io.lac4j.defense.QuantAwareDistillation;
import io.lac4j.defense.ResetDistillation;
import io.lac4j.engine.Engines;
import io.lac4j.pipeline.DefendRequest;
import io.lac4j.pipeline.DefendResult;
import io.lac4j.pipeline.DefenseProtocol;
import io.lac4j.pipeline.Pipeline;
import io.lac4j.ptq.EfrapConfig;
import io.lac4j.ptq.FlipWeighting;
import io.lac4j.report.ReportWriter;
import io.lac4j.report.ResultFile;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "defend",
        header = "Run one defense (EFRAP, a PTQ variant, LAC, FT, Fine-Pruning, QVec) on a model's quantized deployment path.",
        description = {"Evaluates the FP and naive-PTQ models (--deployment: MQBench Academic W<bits>A<bits> with 8-bit"
                + " first/last layers by default), applies the defense and evaluates the defended quantized model; prints fp / naive_ptq /"
                + " <defense> and DER, writes results.json, report.md and report.html to --output-dir.",
                "DEFENSE below lists the defenses; docs/defenses.md says what each does."},
        showDefaultValues = true, sortOptions = false, mixinStandardHelpOptions = true,
        footer = {"%nExample:", "  lac4j defend efrap --checkpoint qcb.pth --arch auto --data fmnist --trigger stage2 --target 0 --json efrap.json"})
final class DefendCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DEFENSE", completionCandidates = DefenseNames.class,
            description = "One of: ${COMPLETION-CANDIDATES}.")
    String defense;

    @Mixin ModelOptions model;
    @Mixin DataOptions data;

    @Option(names = "--bits", defaultValue = "4", description = "Weight bits, and activation bits under academic (the papers' 4 or 8).")
    int bits;

    @Mixin DeploymentOptions deployment;

    @Option(names = "--max-count", defaultValue = "10000", description = "Reconstruction steps per unit (max_count).")
    int maxCount;

    @Option(names = "--cali-batches", defaultValue = "32", description = "Calibration batches of 32 (cali_batchsize).")
    int caliBatches;

    @Option(names = "--weighting", defaultValue = "element",
            description = "EFRAP flip weights ω: element (released code, |w − Q(w)|) or neuron_norm (paper text).")
    String weighting;

    @Option(names = "--lambda-flip", defaultValue = "1.0", description = "EFRAP λ_F (flip term).")
    double lambdaFlip;

    @Option(names = "--lambda-round", defaultValue = "0.01", description = "EFRAP λ_P (rounding regulariser, β = 2).")
    double lambdaRound;

    @Option(names = "--epochs", paramLabel = "N", description = "Training epochs over the clean calibration images for the"
            + " defenses that train (default: each one's own: ft and fine-pruning " + FineTuning.EPOCHS + ", qad "
            + QuantAwareDistillation.EPOCHS + ", qad-reset " + ResetDistillation.EPOCHS
            + ", qad-reset-regrid " + ResetDistillation.REGRID_EPOCHS + ").")
    Integer epochs;

    @Option(names = "--prune-ratio", defaultValue = "0.2", description = "Fine-Pruning: fraction of the last conv's channels removed.")
    double pruneRatio;

    @Option(names = "--output-dir", paramLabel = "DIR",
            description = "Where results.json, the reports and the defended model go (default: outputs/defend-<defense>/<time>).")
    Path outputDir;

    @Option(names = "--scan", description = "Also scan the naive model without the trigger (lac4j scan) and report the"
            + " trigger-free residual: the recovered pattern's flip rate on the defended model.")
    boolean scan;

    @Option(names = "--range-sweep", split = ",", paramLabel = "F[,F...]",
            description = "Evaluate the defended model again with every activation range scaled by each factor (e.g."
                    + " 0.9,0.95,1.05,1.1): does the backdoor stay asleep when the deployment's calibration finds slightly"
                    + " different ranges? Recorded under range_sweep in results.json.")
    List<Double> rangeSweep;

    @Option(names = "--requantize-check",
            description = "Also quantize the exported checkpoint again, as your own PTQ would, on the run's calibration"
                    + " images, and evaluate it: the .pth holds on-grid weights, whose activations can give other ranges"
                    + " than the ones the defense evaluated with. Recorded under requantized in results.json.")
    boolean requantizeCheck;

    @Option(names = "--scan-steps", defaultValue = "40", description = "Optimisation steps per inversion of --scan (lac4j scan --steps).")
    int scanSteps;

    @Mixin OutputOptions out;

    /** The options given on the command line, by their longest name. */
    static java.util.Set<String> givenOptions(CommandSpec spec) {
        return spec.commandLine().getParseResult().matchedOptions().stream().map(o -> o.longestName())
                .collect(java.util.stream.Collectors.toSet());
    }

    @Override
    public Integer call() throws java.io.IOException {
        Defense d = Defenses.byName(defense, "DEFENSE");
        Defenses.checkOptionsRead(List.of(d), givenOptions(spec));
        DefendRequest req;
        Path dir = outputDir != null ? outputDir : RunFolders.stamped("outputs", "defend-" + d.name());
        try {
            EfrapConfig efrap = new EfrapConfig(lambdaFlip, lambdaRound, EfrapConfig.EFRAP.beta(), null,
                    FlipWeighting.fromConfigName(weighting, "--weighting"));
            DefenseProtocol protocol = new DefenseProtocol(model.source(), data.source(), bits, deployment.abits, caliBatches,
                    maxCount, DefenseOptions.epochsOption(epochs), out.seed, deployment.deployment());
            req = new DefendRequest(d, protocol, efrap, pruneRatio, dir, scan ? io.lac4j.scan.ScanConfig.DEFAULT.withSteps(scanSteps) : null,
                    rangeSweep, requantizeCheck);
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage(), e);
        }
        Engines.start(out.threads);
        DefendResult r;
        try (ConsoleProgress progress = new ConsoleProgress(System.err, out.quiet)) {
            r = Pipeline.defend(req, progress);
        }
        var w = spec.commandLine().getOut();
        w.println("defense: " + d.name() + ", " + req.protocol().deployment().configName() + " "
                + req.protocol().widths(bits) + String.format(", %.1f s", r.seconds()));
        Tables.phases(w, r.document().phases(), r.der(),
                r.document().phases().containsKey(d.phase()) ? d.phase() : "naive_ptq");
        Tables.onnxChecks(w, r.document().onnxCheck());
        Tables.rangeSweep(w, r.document().rangeSweep(), r.document().phases());
        Tables.requantized(w, r.document().requantized());
        Tables.scan(w, r.document().scan());
        ReportWriter.writeAll(dir, Reporting.input(r.document(), r.units(), List.of()));
        w.println("results: " + dir.resolve(ReportWriter.RESULTS) + "  report: " + dir.resolve(ReportWriter.HTML));
        if (r.model() != null) {
            String name = r.model().getFileName().toString();
            w.println("defended model: " + r.model() + (name.endsWith(".pth") ? " (integer weights and scales: "
                    + name.replaceFirst("\\.pth$", ".int.safetensors") + " beside it)" : ""));
        }
        if (out.json != null) {
            ResultFile.write(r.document(), out.json);
            w.println("results: " + out.json);
        }
        w.flush();
        return ExitCodes.OK;
    }
}
