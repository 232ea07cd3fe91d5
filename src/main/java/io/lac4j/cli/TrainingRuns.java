package io.lac4j.cli;

import io.lac4j.attack.AttackKind;
import io.lac4j.attack.AttackSettings;
import io.lac4j.engine.Engines;
import io.lac4j.eval.PhaseMetrics;
import io.lac4j.io.AtomicFile;
import io.lac4j.pipeline.DataSource;
import io.lac4j.pipeline.Training;
import io.lac4j.pipeline.TrainingRequest;
import io.lac4j.pipeline.TrainingResult;
import io.lac4j.training.TrainConfig;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** What {@code train} and the attack commands share: model options, running, printing the table. */
final class TrainingRuns {
    private TrainingRuns() {}

    /** {@code --checkpoint} (optional here), {@code --arch}, {@code --width}. */
    static final class ModelChoice {
        @Option(names = "--checkpoint", paramLabel = "FILE",
                description = "Model to start from (.pth / .safetensors). Without it: PyTorch default init of --arch/--width.")
        Path checkpoint;

        @Option(names = "--arch", defaultValue = "auto", paramLabel = "NAME", completionCandidates = ArchNames.class,
                description = "Architecture: auto (inferred from --checkpoint; resnet18-cifar from scratch) or one of"
                        + " ${COMPLETION-CANDIDATES}.")
        String arch;

        @Option(names = "--width", defaultValue = "16", paramLabel = "W",
                description = "Base width when training from scratch (64 = the paper's ResNet-18).")
        int width;
    }

    static int execute(CommandSpec spec, AttackKind kind, ModelChoice model, DataOptions data, TrainingOptions t,
                       OutputOptions out, TrainConfig cfg, AttackSettings settings, Path stage1, List<String> ptq) throws Exception {
        Engines.start(out.threads);
        PrintWriter w = spec.commandLine().getOut();
        String commandLine = CommandLines.of(spec);
        DataSource ds = data.source();
        TrainingRequest req = new TrainingRequest(kind, model.checkpoint, model.arch, model.width, ds, cfg, settings,
                stage1, t.out, t.resume, ptq, t.testImages, commandLine);
        try (ConsoleProgress progress = new ConsoleProgress(System.err, out.quiet)) {
            TrainingResult r = Training.run(req, progress);
            progress.close();
            w.println((kind == AttackKind.CLEAN ? "train" : "attack " + kind.cliName()) + ": selected epoch "
                    + r.selectedEpoch() + " of " + cfg.epochs() + ", " + String.format("%.0f s", r.seconds()));
            if (!r.targeted().isEmpty()) {
                w.println("backdoor targets: " + String.join(", ", r.targeted()));
            }
            table(w, r.phases());
            w.println("weights: " + r.out());
            w.println("manifest: " + r.manifest());
            if (out.json != null) {
                AtomicFile.writeString(out.json, Files.readString(r.manifest()));
                w.println("results: " + out.json);
            }
            w.flush();
        }
        return ExitCodes.OK;
    }

    static void table(PrintWriter out, Map<String, PhaseMetrics> phases) {
        out.printf("%-20s %8s %8s %8s %7s%n", "model", "CDA", "ASR", "ASR-nt", "n");
        phases.forEach((k, p) -> out.printf("%-20s %8.2f %8s %8s %7d%n", k, p.cda(), pct(p.asrAll()), pct(p.asrNt()),
                p.clean().n()));
    }

    private static String pct(Double v) {
        return v == null ? "-" : String.format("%.2f", v);
    }
}
