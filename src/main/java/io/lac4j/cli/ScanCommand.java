package io.lac4j.cli;

import io.lac4j.InputException;
import io.lac4j.defense.DefenseOptions;
import io.lac4j.engine.Engines;
import io.lac4j.pipeline.DefenseProtocol;
import io.lac4j.pipeline.Pipeline;
import io.lac4j.pipeline.ResultDocument;
import io.lac4j.pipeline.ScanRequest;
import io.lac4j.report.ReportWriter;
import io.lac4j.report.ResultFile;
import io.lac4j.scan.ScanConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "scan",
        header = "Look for a quantization-conditioned backdoor without knowing the trigger or the target class.",
        description = {"Calibrates the deployment as naive PTQ would, then, on the clean calibration images only (no labels,"
                + " no trigger), searches per class for a small mask-and-pattern that flips the quantized model to that class"
                + " while the FP model keeps its prediction, and the same against the FP model alone. Prints per class the"
                + " flip rates and robust anomaly indices and a verdict: QCB suspected (target k), backdoor in FP too, or"
                + " no QCB found (docs/scan.md)."},
        showDefaultValues = true, sortOptions = false, mixinStandardHelpOptions = true,
        footer = {"%nExample:", "  lac4j scan --checkpoint model.pth --deployment academic --bits 4 --output-dir scan-out"})
final class ScanCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ModelOptions model;
    @Mixin DataOptions data;

    @Option(names = "--bits", defaultValue = "4", description = "Weight bits, and activation bits under academic.")
    int bits;

    @Mixin DeploymentOptions deployment;

    @Option(names = "--cali-batches", defaultValue = "32",
            description = "Calibration batches of 32: the clean images the scan uses (a quarter held out for flip rates).")
    int caliBatches;

    @Option(names = "--steps", defaultValue = "40", description = "Optimisation steps per inversion.")
    int steps;

    @Option(names = "--draws", defaultValue = "1",
            description = "Run the differential search this many times from other random starts and keep, per class, the draw"
                    + " whose pattern scores best on optimisation images (the held-out flip rates the verdict reads are not"
                    + " used to choose).")
    int draws;

    @Option(names = "--second-look",
            description = "When a class stands out but its search pattern flips too few quantized (or too many FP) predictions"
                    + " for the QCB rule, refine that pattern first and judge the refined one (docs/scan.md, version 6).")
    boolean secondLook;

    @Option(names = "--refine-steps", defaultValue = "60",
            description = "Steps that continue the verdict's pattern alone once a backdoor is found (0: none); they make the"
                    + " recovered pattern and the trigger-free residual stronger and never change the verdict.")
    int refineSteps;

    @Option(names = "--refine-select-every", defaultValue = "10",
            description = "Score the refined pattern every N steps on optimisation images (quantized minus FP flip rate) and keep"
                    + " the best one, the search's own included (0: keep the last step's).")
    int refineSelectEvery;

    @Option(names = "--refine-fp-margin", defaultValue = "0.693",
            description = "In the refinement, penalise an image's FP prediction only once the FP model's cross-entropy on its"
                    + " clean class exceeds this (0.693 = ln 2: its probability falls below one half; 0: always, as the"
                    + " search does).")
    double refineFpMargin;

    @Option(names = "--refine-budget", defaultValue = "0.04",
            description = "Mask area of the refinement of a quantization-conditioned suspect, as a fraction of the image"
                    + " (the search's --budget keeps the classes comparable).")
    double refineBudget;

    @Option(names = "--budget", defaultValue = "0.04", description = "Mask area per pattern, as a fraction of the image.")
    double budget;

    @Option(names = "--fp-only-budget", defaultValue = "0.02", description = "Mask area of the FP-only search, as a fraction of the image.")
    double fpOnlyBudget;

    @Option(names = "--fp-weight", defaultValue = "2.0",
            description = "Weight of the FP model keeping its prediction in the differential search.")
    double fpWeight;

    @Option(names = "--batch-per-class", defaultValue = "16", description = "Clean images per class and optimisation step.")
    int batchPerClass;

    @Option(names = "--lr", defaultValue = "0.3", description = "Adam learning rate on the mask and pattern logits.")
    double lr;

    @Option(names = "--run", paramLabel = "RUN_DIR",
            description = "Scan the defended model of a purify or defend run folder (its .pth with .int.safetensors) instead of"
                    + " the checkpoint's naive deployment; --checkpoint is the FP model the run started from. The run's"
                    + " deployment and bits are taken from its results.json unless given.")
    Path run;

    @Option(names = "--output-dir", paramLabel = "DIR",
            description = "Where results.json, the reports and the recovered pattern (PNG) go (default: outputs/scan/<time>).")
    Path outputDir;

    @Mixin OutputOptions out;

    /** " (differential search 40.1 s, …)", or nothing when the phases were not timed. */
    static String phases(java.util.Map<String, Double> seconds) {
        if (seconds == null || seconds.isEmpty()) {
            return "";
        }
        java.util.StringJoiner j = new java.util.StringJoiner(", ", " (", ")");
        seconds.forEach((phase, s) -> j.add(phase.replace('_', ' ') + String.format(java.util.Locale.ROOT, " %.1f s", s)));
        return j.toString();
    }

    @Override
    public Integer call() throws java.io.IOException {
        Path dir = outputDir != null ? outputDir : RunFolders.stamped("outputs", "scan");
        ScanRequest req;
        if (run != null) {
            adoptRunDeployment();
        }
        try {
            DefenseProtocol protocol = new DefenseProtocol(model.source(), data.source(), bits, deployment.abits, caliBatches,
                    0, DefenseOptions.OWN_EPOCHS, out.seed, deployment.deployment());
            ScanConfig config = ScanConfig.DEFAULT.withSteps(steps).withBudget(budget).withFpWeight(fpWeight)
                    .withBatchPerClass(batchPerClass).withLr(lr).withFpOnlyBudget(fpOnlyBudget).withRefineSteps(refineSteps)
                    .withRefineSelection(refineSelectEvery, refineFpMargin).withRefineBudget(refineBudget).withDraws(draws)
                    .withSecondLook(secondLook);
            req = new ScanRequest(protocol, config, dir, run);
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage(), e);
        }
        if (req.protocol().data().trigger() != null) {
            spec.commandLine().getErr().println("note: the scan does not use --trigger or --target (it looks for the trigger itself);"
                    + " `lac4j defend naive … --trigger` measures the true ASR");
        }
        Engines.start(out.threads);
        java.nio.file.Files.createDirectories(dir);
        ResultDocument doc;
        try (ConsoleProgress progress = new ConsoleProgress(System.err, out.quiet)) {
            doc = Pipeline.scan(req, progress);
        }
        var w = spec.commandLine().getOut();
        w.println("scan: " + (run == null ? "" : doc.settings().get("scanned_model") + " of " + run + ", ")
                + req.protocol().deployment().configName() + " " + req.protocol().widths(bits)
                + String.format(", %.1f s", doc.scan().seconds()) + phases(doc.scan().phaseSeconds()));
        Tables.scan(w, doc.scan());
        ReportWriter.writeAll(dir, Reporting.input(doc, List.of(), List.of()));
        w.println("results: " + dir.resolve(ReportWriter.RESULTS) + "  report: " + dir.resolve(ReportWriter.HTML));
        if (out.json != null) {
            ResultFile.write(doc, out.json);
            w.println("results: " + out.json);
        }
        w.flush();
        return ExitCodes.OK;
    }

    /**
     * A run's deployment, bits and activation bits from its results.json, for those not given: a
     * defend run records them as settings, a purify run as its config's weight and activation bits
     * (Academic). The scan checks the model's grid against them when it reads the model.
     */
    private void adoptRunDeployment() {
        Path results = run.resolve(ReportWriter.RESULTS);
        if (!java.nio.file.Files.isRegularFile(results)) {
            return;   // the scan names the missing file with the run folder's other checks
        }
        Map<String, Object> s;
        try {
            s = ResultFile.read(results).settings();
        } catch (java.io.IOException | RuntimeException e) {
            throw new InputException(results + ": cannot read: " + e.getMessage(), e);
        }
        if (s == null) {
            return;
        }
        var parsed = spec.commandLine().getParseResult();
        Object qconfig = path(s, "extra_prepare_dict", "extra_qconfig_dict");
        Object runBits = s.containsKey("bits") ? s.get("bits") : path(qconfig, "w_qscheme", "bit");
        Object runAbits = s.containsKey("bits") ? s.get("abits") : path(qconfig, "a_qscheme", "bit");
        if (!parsed.hasMatchedOption("--deployment") && s.get("deployment") instanceof String name) {
            deployment.deployment = name;
        }
        if (!parsed.hasMatchedOption("--bits") && runBits instanceof Number b) {
            bits = b.intValue();
        }
        if (!parsed.hasMatchedOption("--abits") && runAbits instanceof Number a) {
            deployment.abits = a.intValue() == bits && !s.containsKey("bits") ? 0 : a.intValue();
        }
    }

    private static Object path(Object node, String... keys) {
        for (String k : keys) {
            if (!(node instanceof Map<?, ?> m)) {
                return null;
            }
            node = m.get(k);
        }
        return node;
    }
}
