package io.lac4j.cli;

import io.lac4j.InputException;
import io.lac4j.cli.config.ConfigLoader;
import io.lac4j.cli.config.PurifySettings;
import io.lac4j.cli.config.RunConfig;
import io.lac4j.engine.Engines;
import io.lac4j.pipeline.Pipeline;
import io.lac4j.pipeline.PurifyRequest;
import io.lac4j.pipeline.PurifyResult;
import io.lac4j.report.ReportWriter;
import io.lac4j.report.ResultFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "purify",
        header = "Purify a backdoored quantized model with LAC (+PDA), configured like the reference.",
        description = {"Reads the reference's YAML (--config, as-is) or lac4j's built-in defaults, applies Hydra-style"
                + " key=value overrides, evaluates the FP and naive-PTQ models, reconstructs unit by unit and evaluates"
                + " the purified model. Writes results.json, the purified model, unit loss curves and resumable state"
                + " to output_dir/task_name/<time>/.",
                "Locations and attack facts are config keys: model.path, model.type, data.path, data.trigger, data.target."},
        showDefaultValues = true, sortOptions = false, mixinStandardHelpOptions = true,
        footer = {"%nExamples:", "  lac4j purify template=qu_fmnist_fp model.path=qcb.pth pda=True quantize.reconstruction.max_count=2000",
                "  lac4j purify --config r18_4_4.yaml template=pq_cifar_fp task_name=test pda=True model.path=pq_cifar_ckpt.pth"})
final class PurifyCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "The reference's YAML config (r18_4_4.yaml), read as-is.")
    Path config;

    @Parameters(paramLabel = "key=value", arity = "0..*",
            description = "Hydra-style overrides: key=value, +key=value (new key), ~key (delete).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--resume", paramLabel = "RUN_DIR",
            description = "Continue an interrupted run from its folder; its saved configuration (run-config.json) is used,"
                    + " and --config or overrides that would change it are refused.")
    Path resume;

    @Option(names = "--json", paramLabel = "PATH", description = "Also write results.json here.")
    Path json;

    @Option(names = {"-q", "--quiet"}, description = "No progress bars.")
    boolean quiet;

    @Option(names = {"-x", "--stacktrace"}, description = "Show stack traces for errors.")
    boolean stacktrace;

    @Option(names = "--threads", defaultValue = "0", description = "Intra-op threads (0 = one per core).")
    int threads;

    @picocli.CommandLine.Mixin KernelOption kernels;

    @Override
    public Integer call() throws Exception {
        ConfigLoader.Resolved resolved;
        RunConfig started = null;
        if (resume != null) {
            resolved = resumed(RunConfig.read(resume));
        } else {
            Map<String, Object> file = config == null ? null : ConfigLoader.readYaml(config);
            String source = config == null ? null : config.getFileName().toString();
            resolved = ConfigLoader.load(file, source, overrides);
            started = RunConfig.of(file, source, overrides, resolved);
        }
        var err = spec.commandLine().getErr();
        for (String note : resolved.notes()) {
            err.println("note: " + note);
        }
        Path checkpoint = Path.of(resolved.tree().string("model.path", ""));
        if (!Files.isRegularFile(checkpoint)) {
            throw new InputException("model.path: checkpoint not found: " + checkpoint + " (" + resolved.tree().origin("model.path")
                    + "); pass model.path=/path/to/" + (resolved.template() == null ? "model.pth" : resolved.template().checkpointFile()));
        }
        Path runDir = resume != null ? resume : runDirectory(resolved);
        PurifyRequest req = PurifySettings.toRequest(resolved, runDir, resume != null);
        if (started != null) {
            started.write(runDir);
        }
        for (String unused : resolved.tree().unused()) {
            err.println("note: key '" + unused + "' (" + resolved.tree().origin(unused) + ") is not used by lac4j (nor by the reference)");
        }
        Engines.start(threads);
        var w = spec.commandLine().getOut();
        w.println("template: " + resolved.template().name() + " — " + resolved.template().description());
        w.println("run folder: " + runDir);
        w.println(req.advanced() ? (req.pda().enabled() ? "use pda" : "do not use pda") : "naive_ptq only");
        w.flush();
        PurifyResult r;
        try (ConsoleProgress progress = new ConsoleProgress(System.err, quiet)) {
            r = Pipeline.purify(req, progress);
        }
        Tables.phases(w, r.document().phases(), r.document().der());
        Tables.onnxChecks(w, r.document().onnxCheck());
        Tables.scan(w, r.document().scan());
        ReportWriter.writeAll(runDir, Reporting.input(r.document(), r.units(), r.drift()));
        w.println("results: " + runDir.resolve(ReportWriter.RESULTS) + "  report: " + runDir.resolve(ReportWriter.HTML));
        if (r.purifiedModel() != null) {
            w.println("purified model: " + r.purifiedModel());
        }
        if (json != null) {
            ResultFile.write(r.document(), json);
            w.println("results: " + json);
        }
        return ExitCodes.OK;
    }

    /**
     * The saved run's configuration. A --config or overrides given with --resume may only repeat it:
     * each key they would change is named and the resume refused.
     */
    private ConfigLoader.Resolved resumed(RunConfig saved) {
        ConfigLoader.Resolved r = saved.resolve();
        if (config != null || !overrides.isEmpty()) {
            List<String> all = new ArrayList<>(saved.overrides());
            all.addAll(overrides);
            ConfigLoader.Resolved asked = config != null
                    ? ConfigLoader.load(ConfigLoader.readYaml(config), config.getFileName().toString(), all)
                    : ConfigLoader.load(saved.file(), saved.fileSource(), all);
            List<String> diff = RunConfig.contradictions(r, asked);
            if (!diff.isEmpty()) {
                throw new InputException("--resume " + resume + ": " + String.join("; ", diff)
                        + "; resume with --resume RUN_DIR alone, or start a new run");
            }
        }
        String modelPath = r.tree().string("model.path", "");
        Path here = Path.of("").toAbsolutePath();
        if (!Path.of(modelPath).isAbsolute() && !here.toString().equals(saved.workingDir())) {
            throw new InputException("--resume " + resume + ": the run was started in " + saved.workingDir()
                    + " with the relative model.path " + modelPath + "; resume from that folder");
        }
        return r;
    }

    private static Path runDirectory(ConfigLoader.Resolved r) {
        return RunFolders.stamped(r.tree().string("output_dir", "outputs"), r.tree().string("task_name", "run"));
    }
}
