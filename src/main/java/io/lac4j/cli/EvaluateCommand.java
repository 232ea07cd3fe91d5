package io.lac4j.cli;

import io.lac4j.engine.Engines;
import io.lac4j.pipeline.EvaluateResult;
import io.lac4j.pipeline.Pipeline;
import io.lac4j.report.ResultFile;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "evaluate", aliases = "eval",
        header = "Evaluate a checkpoint in full precision: CDA, ASR and ASR-no-target.",
        description = "Reads a PyTorch checkpoint, builds its architecture (inferred with --arch auto), and evaluates it on"
                + " the clean, triggered and no-target test sets. Writes a table to stdout and, with --json, a results file.",
        showDefaultValues = true, sortOptions = false, mixinStandardHelpOptions = true,
        footer = "%nExample:%n  lac4j evaluate --checkpoint qcb.pth --data fmnist --trigger stage2 --target 0 --json out.json")
final class EvaluateCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ModelOptions model;
    @Mixin DataOptions data;
    @Mixin OutputOptions out;

    @Override
    public Integer call() throws Exception {
        Engines.start(out.threads);
        try (ConsoleProgress progress = new ConsoleProgress(System.err, out.quiet)) {
            EvaluateResult r = Pipeline.evaluate(model.source(), data.source(), out.seed, progress);
            progress.close();
            var w = spec.commandLine().getOut();
            if (r.spec() == null) {
                w.println("model: " + r.document().model().arch() + ", run by ONNX Runtime");
            } else {
                w.println("model: " + r.spec().describe() + (r.inference() == null ? "" : "  [inferred: " + r.inference() + "]"));
                w.println("load:  " + r.load().describe());
            }
            Tables.phases(w, r.document().phases(), null);
            if (out.json != null) {
                ResultFile.write(r.document(), out.json);
                w.println("results: " + out.json);
            }
        }
        return ExitCodes.OK;
    }
}
