package io.lac4j.pipeline;


import ai.djl.ndarray.NDManager;
import io.lac4j.InputException;
import io.lac4j.attack.AttackKind;
import io.lac4j.attack.AttackSettings;
import io.lac4j.attack.CompArtifactObjective;
import io.lac4j.attack.CompArtifactSim;
import io.lac4j.attack.DefenderSimulation;
import io.lac4j.attack.ExtraQuantizer;
import io.lac4j.attack.Initialization;
import io.lac4j.attack.PqBackendSim;
import io.lac4j.attack.PqProjection;
import io.lac4j.attack.PqRepairObjective;
import io.lac4j.attack.QuAntiZationObjective;
import io.lac4j.attack.QuAntiZationSim;
import io.lac4j.attack.QuantHooks;
import io.lac4j.attack.SimulatedQuantizer;
import io.lac4j.data.CalibrationConfig;
import io.lac4j.data.DataView;
import io.lac4j.data.ImageDataset;
import io.lac4j.data.Preprocessing;
import io.lac4j.engine.Engines;
import io.lac4j.engine.Progress;
import io.lac4j.engine.Seeds;
import io.lac4j.eval.BackdoorEvaluator;
import io.lac4j.eval.EvalSets;
import io.lac4j.eval.PhaseMetrics;
import io.lac4j.io.Checkpoints;
import io.lac4j.models.Arch;
import io.lac4j.models.CheckpointLoader;
import io.lac4j.models.ModelSpec;
import io.lac4j.models.ModelZoo;
import io.lac4j.nn.Graph;
import io.lac4j.quant.Granularity;
import io.lac4j.quant.PrepareOptions;
import io.lac4j.quant.QuantPreset;
import io.lac4j.quant.QuantizedModel;
import io.lac4j.training.CleanObjective;
import io.lac4j.training.EpochRecord;
import io.lac4j.training.Objective;
import io.lac4j.training.TrainConfig;
import io.lac4j.training.Trainer;
import io.lac4j.training.TrainingData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Library entry point of {@code lac4j train} and {@code lac4j attack ...}: builds or loads the
 * model, sets up the attack's objective and simulated quantizers, runs the {@link Trainer}, then
 * reports FP, own-quantizer and naive-PTQ metrics of the selected weights and writes the manifest.
 * Nothing here prints.
 */
public final class Training {
    private Training() {}

    public static TrainingResult run(TrainingRequest req, Progress progress) {
        long t0 = System.nanoTime();
        Engines.start();
        Engines.seed(req.train().seed());
        LoadedData d = Pipeline.loadData(req.data());
        if (req.kind() != AttackKind.CLEAN && d.trigger() == null) {
            throw new InputException("--trigger: an attack needs a trigger, got none");
        }
        Path init = req.checkpoint();
        List<EpochRecord> stage1Log = List.of();
        if (req.kind() == AttackKind.PQBACKDOOR) {
            init = req.stage1();
            if (init == null) {
                TrainingResult s1 = run(stage1Request(req), progress);
                init = s1.out();
                stage1Log = s1.log();
            }
        }
        try (NDManager run = Engines.newBaseManager()) {
            ImageDataset train = d.splits().train();
            Graph g;
            ModelSpec spec;
            String initSha = null;
            if (init != null) {
                LoadedModel lm = Pipeline.loadModel(ModelSource.of(init, req.arch()), run);
                g = lm.graph();
                spec = lm.spec();
                initSha = lm.sha256();
            } else {
                Arch a = Arch.fromName(req.arch(), "--arch");
                spec = ModelSpec.of(a == Arch.AUTO ? Arch.RESNET18_CIFAR : a, train.channels(), train.numClasses(),
                        req.width());
                g = ModelZoo.build(spec, run);
                Initialization.pytorchDefault(g, Seeds.forStage(req.train().seed(), "init"));
            }
            int padding = req.train().augmentPadding() < -1 ? train.height() / 8 : req.train().augmentPadding();
            TrainConfig cfg = req.train().withAugmentPadding(padding);
            TrainingData td = new TrainingData(train, d.splits().normalization(), cfg.trainImages(), padding,
                    Seeds.forStage(cfg.seed(), "subset"));
            AttackSettings s = req.settings();
            ExtraQuantizer extra = null;
            if (req.kind() == AttackKind.QU_ANTI_ZATION && s.extraQuantizer() != null) {
                QuantPreset preset = QuantPreset.byName(s.extraQuantizer(), "--extra-quantizer");
                QuantizedModel qm = QuantizedModel.insertInto(g, preset.config(), PrepareOptions.ACADEMIC);
                List<io.lac4j.quant.Observer.Kind> grids = new ArrayList<>();
                for (String grid : s.activationGrids()) {
                    grids.add(io.lac4j.quant.Observer.Kind.fromConfigName(grid, "--activation-grids"));
                }
                extra = new ExtraQuantizer(preset, qm, td.clean(false), s.calibrationBatches(), 32,
                        s.recalibrateEvery(), Seeds.forStage(cfg.seed(), "extra-calibration"), grids);
            }
            QuantHooks hooks = QuantHooks.install(g, req.kind() == AttackKind.PQBACKDOOR);
            DefenderSimulation defender = null;
            List<SimulatedQuantizer> own = new ArrayList<>();
            Objective objective = switch (req.kind()) {
                case CLEAN -> new CleanObjective(g, td.clean(padding >= 0), null, 0, d.target());
                case BADNETS -> new CleanObjective(g, td.clean(padding >= 0), td.triggered(d.trigger(), false),
                        s.poisonPerBatch(), d.target());
                case QU_ANTI_ZATION -> {
                    List<QuAntiZationSim> sims = s.bits().stream().map(QuAntiZationSim::new).toList();
                    own.addAll(sims);
                    if (s.defenseAware() != null) {
                        defender = defenderSimulation(g, spec, extra, td, s, cfg.seed(), run);
                        own.add(defender);
                    }
                    yield new QuAntiZationObjective(hooks, sims, extra, defender, td.clean(padding >= 0),
                            td.triggered(d.trigger(), padding >= 0), s.c1(), s.c2(), d.target());
                }
                case PQBACKDOOR -> {
                    int bits = s.bits().get(0);
                    own.add(new PqBackendSim(Granularity.PER_CHANNEL, bits));
                    own.add(new PqBackendSim(Granularity.PER_TENSOR, bits));
                    yield new PqRepairObjective(g, td.clean(padding >= 0), td.triggered(d.trigger(), false),
                            new PqProjection(g, s.margin(), bits));
                }
                case COMPARTIFACT -> {
                    CompArtifactSim sim = CompArtifactSim.of(g, s.quantizedFrom(), s.bits().get(0));
                    own.add(sim);
                    yield new CompArtifactObjective(hooks, sim, td.clean(padding >= 0),
                            td.triggered(d.trigger(), padding >= 0), d.target());
                }
            };
            EvalSets quick = cfg.evalImages() > 0 ? subset(d, cfg.evalImages()) : null;
            Trainer.Evaluator evaluator = quick == null ? null : scope -> {
                PhaseMetrics p = BackdoorEvaluator.evaluate(x -> hooks.forward(null, x), quick, scope, Progress.NONE, "epoch");
                return new Trainer.Quick(p.cda(), p.asrNt());
            };
            TrainingFiles files = new TrainingFiles(g, req.out(), req.resume(), spec.describe());
            List<EpochRecord> log = new Trainer(g, cfg, objective, td.clean(false), evaluator, files).run(run, progress);

            CheckpointLoader.load(g, Checkpoints.read(req.out()).stateDict(), true, req.out().toString(), spec.describe());
            g.setTraining(false);
            hooks.use(null);
            if (defender != null) {
                defender.refresh(0);      // the simulated defender purifies the weights as saved, not the last step's
            }
            EvalSets sets = req.testImages() > 0 ? subset(d, req.testImages()) : d.sets();
            Map<String, PhaseMetrics> phases = new LinkedHashMap<>();
            phases.put("fp", BackdoorEvaluator.evaluate(x -> hooks.forward(null, x), sets, run, progress, "eval fp"));
            for (SimulatedQuantizer q : own) {
                phases.put(q.name(), BackdoorEvaluator.evaluate(x -> hooks.forward(q, x), sets, run, progress,
                        "eval " + q.name()));
            }
            for (String name : req.ptqReport()) {
                QuantPreset preset = QuantPreset.byName(name, "--ptq-report");
                QuantizeResult r = Pipeline.quantize(new QuantizeRequest(ModelSource.of(req.out(), spec.arch().cliName()),
                        req.data(), preset.presetName(), preset.config(), PrepareOptions.ACADEMIC, CalibrationConfig.LAC,
                        cfg.seed(), null), progress);
                phases.put(preset.presetName(), r.naive());
            }
            List<String> targeted = new ArrayList<>(own.stream().map(SimulatedQuantizer::name).toList());
            if (extra != null) {
                targeted.add(extra.name());
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            Map<String, Object> manifest = manifest(req, cfg, spec, init, initSha, td, d, objective, targeted, extra, phases,
                    files.selectedEpoch(), seconds, files, stage1Log);
            if (defender != null) {
                Map<String, Object> da = new LinkedHashMap<>();
                da.put("defense", "lac");
                da.put("quantizer", defender.name());
                da.put("max_count", defender.maxCount());
                da.put("every", defender.every());
                da.put("purifications", defender.refreshes());
                da.put("seconds", Math.round(defender.seconds() * 10) / 10.0);
                manifest.put("defense_aware", da);
            }
            TrainingFiles.write(files.manifest(), manifest);
            return new TrainingResult(req.out(), files.manifest(), phases, targeted, log, files.selectedEpoch(), seconds);
        }
    }

    /**
     * The defense-aware attack's simulated defender: LAC on a fresh copy of the current training weights, on the
     * clean training images, quantized with the extra quantizer's preset (default Academic W4A4).
     */
    private static DefenderSimulation defenderSimulation(Graph g, ModelSpec spec, ExtraQuantizer extra, TrainingData td,
                                                         AttackSettings s, long seed, NDManager run) {
        QuantPreset preset = extra != null ? extra.preset() : QuantPreset.ACADEMIC_W4A4;
        return new DefenderSimulation(m -> {
            Graph copy = ModelZoo.build(spec, m);
            CheckpointLoader.load(copy, CheckpointLoader.toStateDict(g), true, "the training weights", spec.describe());
            return copy;
        }, preset, td.clean(false), s.calibrationBatches(), s.defenseAware().every(), s.defenseAware().maxCount(),
                Seeds.forStage(seed, "defender-simulation"), run);
    }

    /** PQBackdoor's stage 1: BadNets from the given checkpoint (or from scratch), SGD, cosine. */
    private static TrainingRequest stage1Request(TrainingRequest req) {
        TrainConfig c = req.train();
        AttackSettings s = req.settings();
        if (s.stage1Epochs() <= 0) {
            throw new InputException("pqbackdoor: give --stage1 FILE (a BadNets model) or --stage1-epochs N > 0");
        }
        TrainConfig s1 = new TrainConfig(s.stage1Epochs(), c.batchSize(), io.lac4j.optim.Optimizer.Kind.SGD,
                s.stage1Lr(), 0.9, 5e-4, false, io.lac4j.training.LrSchedule.cosine(), c.augmentPadding(),
                TrainConfig.BnMode.TRAIN, c.evalImages() > 0 ? TrainConfig.Selection.BEST_CDA_PLUS_ASR : TrainConfig.Selection.LAST,
                c.trainImages(), c.evalImages(), c.seed());
        String o = req.out().toString();
        Path out = Path.of((o.endsWith(".pth") ? o.substring(0, o.length() - 4) : o) + ".stage1.pth");
        return new TrainingRequest(AttackKind.BADNETS, req.checkpoint(), req.arch(), req.width(), req.data(), s1, s,
                null, out, req.resume(), List.of(), req.testImages(), req.commandLine());
    }

    /** The first {@code n} test images as clean and triggered views (no-target derived from the latter). */
    static EvalSets subset(LoadedData d, int n) {
        ImageDataset test = d.splits().test();
        int k = Math.min(n, test.size());
        int[] idx = IntStream.range(0, k).toArray();
        int[] labels = Arrays.stream(idx).map(test::label).toArray();
        Preprocessing pre = Preprocessing.test(d.splits().normalization());
        DataView clean = DataView.of(test.name() + "/clean-first-" + k, test, idx, labels, pre);
        if (d.trigger() == null) {
            return new EvalSets(clean, null, null, d.target(), EvalSets.BATCH);
        }
        int[] target = new int[k];
        Arrays.fill(target, d.target());
        DataView trig = DataView.of(test.name() + "/poisoned-first-" + k, test, idx, target, pre.withTrigger(d.trigger()));
        return new EvalSets(clean, trig, null, d.target(), EvalSets.BATCH);
    }

    private static Map<String, Object> manifest(TrainingRequest req, TrainConfig cfg, ModelSpec spec, Path init, String initSha,
                                                TrainingData td, LoadedData d, Objective objective, List<String> targeted,
                                                ExtraQuantizer extra, Map<String, PhaseMetrics> phases, int selected,
                                                double seconds, TrainingFiles files, List<EpochRecord> stage1Log) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schema", "lac4j.training/1");
        m.put("command", req.kind() == AttackKind.CLEAN ? "train" : "attack " + req.kind().cliName());
        m.put("checkpoint", req.out().toString());
        m.put("architecture", spec.describe());
        m.put("arch", spec.arch().cliName());
        m.put("width", spec.width());
        m.put("in_channels", spec.inChannels());
        m.put("num_classes", spec.numClasses());
        Map<String, Object> initInfo = new LinkedHashMap<>();
        initInfo.put("checkpoint", init == null ? null : init.toString());
        initInfo.put("sha256", initSha);
        initInfo.put("scratch", init == null ? "PyTorch default init" : null);
        m.put("init", initInfo);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", d.splits().name());
        data.put("location", d.location());
        data.put("trigger", d.triggerName());
        data.put("target", d.target());
        data.put("train_images", td.size());
        data.put("train_images_total", td.dataset().size());
        data.put("eval_images_per_epoch", req.train().evalImages());
        data.put("test_images", phases.get("fp").clean().n());
        m.put("data", data);
        m.put("objective", objective.describe());
        m.put("targeted_quantizers", targeted);
        if (extra != null) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("preset", extra.name());
            e.put("activation_grids", extra.gridNames());
            e.put("recalibrate_every", req.settings().recalibrateEvery());
            e.put("calibration_batches", req.settings().calibrationBatches());
            e.put("calibration_batch_size", 32);
            e.put("prepare", "MQBench Academic (io layers 8 bit)");
            m.put("extra_quantizer", e);
        }
        m.put("training", cfg);
        m.put("settings", req.settings());
        Map<String, Object> seeds = new LinkedHashMap<>();
        long seed = req.train().seed();
        seeds.put("seed", seed);
        for (String stage : List.of("init", "subset", "shuffle", "augment", "extra-calibration")) {
            seeds.put(stage, Seeds.forStage(seed, stage));
        }
        m.put("seeds", seeds);
        m.put("selected_epoch", selected);
        Map<String, Object> metrics = new LinkedHashMap<>();
        phases.forEach((k, p) -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("cda", Results.round(p.cda()));
            e.put("asr", Results.round(p.asrAll()));
            e.put("asr_no_target", Results.round(p.asrNt()));
            e.put("n", p.clean().n());
            metrics.put(k, e);
        });
        m.put("final_metrics", metrics);
        m.put("log", Map.of("csv", files.logCsv().toString(), "json", files.logJson().toString()));
        if (!stage1Log.isEmpty()) {
            m.put("stage1_epochs", stage1Log.size());
        }
        m.put("seconds", Results.round(seconds));
        m.put("provenance", RunProvenance.current(java.time.Instant.now().minusMillis(Math.round(seconds * 1000)), seed, req));
        if (req.commandLine() != null) {
            m.put("command_line", req.commandLine());
        }
        return m;
    }

}
