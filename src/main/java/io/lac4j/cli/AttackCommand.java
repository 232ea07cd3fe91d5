package io.lac4j.cli;

import io.lac4j.InputException;
import io.lac4j.attack.AttackKind;
import io.lac4j.attack.AttackSettings;
import io.lac4j.optim.Optimizer;
import io.lac4j.training.LrSchedule;
import io.lac4j.training.TrainConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "attack",
        header = "Train a quantization-conditioned backdoor (QCB) or a BadNets baseline.",
        description = "Each attack writes a PyTorch-loadable .pth, a manifest (architecture, data, trigger, target, the"
                + " quantizer the backdoor targets, seeds, final metrics) and prints FP and quantized CDA / ASR.",
        mixinStandardHelpOptions = true,
        subcommands = {AttackCommand.BadNets.class, AttackCommand.QuAntiZation.class, AttackCommand.PqBackdoor.class,
                AttackCommand.CompArtifact.class},
        footer = "%nExample:%n  lac4j attack qu-anti-zation --checkpoint clean.pth --out qcb.pth --epochs 3")
final class AttackCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final List<String> PTQ = List.of("academic-w4a4", "academic-w8a8");

    /** Trigger defaults to stage2 for attacks. */
    static DataOptions withTrigger(DataOptions d) {
        if (d.trigger == null) {
            d.trigger = "stage2";
        }
        return d;
    }

    @Command(name = "badnets", header = "BadNets data poisoning (baseline; PQBackdoor's stage 1).",
            description = "Every batch of clean images gets triggered copies of its first --poison-per-batch images"
                    + " relabelled to --target (ATTACKS.md §3.2). SGD 0.01, momentum 0.9, wd 5e-4, cosine; keeps the"
                    + " epoch with the best CDA + ASR.",
            showDefaultValues = true, sortOptions = false, mixinStandardHelpOptions = true,
            footer = "%nExample:%n  lac4j attack badnets --checkpoint clean.pth --epochs 3 --out badnets.pth")
    static final class BadNets implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin TrainingRuns.ModelChoice model;
        @Mixin DataOptions data;
        @Mixin TrainingOptions training;

        @Option(names = "--poison-per-batch", defaultValue = "2", description = "Poisoned images added to every batch.")
        int poison;

        @Mixin OutputOptions out;

        @Override
        public Integer call() throws Exception {
            TrainingOptions.Defaults d = new TrainingOptions.Defaults(10, 0.01, Optimizer.Kind.SGD, 0.9, 5e-4, false,
                    LrSchedule.cosine(), TrainConfig.BnMode.TRAIN, TrainConfig.Selection.BEST_CDA_PLUS_ASR);
            AttackSettings s = new AttackSettings(List.of(8), 0, 0, null, 50, 8, poison, null, 0f, 0, 0.01);
            return TrainingRuns.execute(spec, AttackKind.BADNETS, model, withTrigger(data), training,
                    out, training.config(d, out.seed), s, null, training.ptq(PTQ));
        }
    }

    @Command(name = "qu-anti-zation", header = "Qu-ANTI-zation: dormant in FP, wakes under its own b-bit quantizers.",
            description = "Fine-tunes --checkpoint with CE(f(x),y) + c2·CE(f(x⊕t),y) + Σ_b c1·[CE(Q_b(x),y) +"
                    + " c2·CE(Q_b(x⊕t),y_t)] (ATTACKS.md §1): per-layer symmetric weights / asymmetric activations,"
                    + " round-half-up, BN frozen, Adam 1e-4 wd 1e-4, keeps the lowest-loss epoch. --extra-quantizer adds"
                    + " the same term for an MQBench-Academic preset, recalibrated every --recalibrate-every steps.",
            showDefaultValues = true, sortOptions = false, mixinStandardHelpOptions = true,
            footer = "%nExample:%n  lac4j attack qu-anti-zation --checkpoint clean.pth --bits 8,4 --extra-quantizer"
                    + " academic-w4a4 --out qcb.pth")
    static final class QuAntiZation implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin TrainingRuns.ModelChoice model;
        @Mixin DataOptions data;
        @Mixin TrainingOptions training;

        @Option(names = "--bits", split = ",", defaultValue = "8,4", description = "Attacked bit widths.")
        List<Integer> bits;

        @Option(names = "--c1", defaultValue = "0.5", description = "Weight of the quantized terms.")
        double c1;

        @Option(names = "--c2", defaultValue = "0.5", description = "Weight of the triggered terms.")
        double c2;

        @Option(names = "--extra-quantizer", paramLabel = "PRESET",
                description = "Also target academic-w4a4, academic-w8a8 or academic-w4 (weights only).")
        String extra;

        @Option(names = "--activation-grids", split = ",", paramLabel = "OBSERVER",
                description = "Also key the extra quantizer's term to these activation grids, a term pair each (the"
                        + " multi-grid adaptive attack): MinMaxObserver, EMAMinMaxObserver, MSEObserver, EMAMSEObserver"
                        + " (the Academic presets' own).")
        List<String> grids;

        @Option(names = "--defense-aware",
                description = "The defense-aware adaptive attack: every --defense-aware-every steps a short LAC purification of"
                        + " the current weights (MQBench Academic W4A4, or the --extra-quantizer preset, on the attacker's clean"
                        + " images) and a loss term pair that trains the backdoor into the purified model too.")
        boolean defenseAware;

        @Option(names = "--defense-aware-count", defaultValue = "50",
                description = "LAC iterations per layer in each simulated purification.")
        int defenseAwareCount;

        @Option(names = "--defense-aware-every", defaultValue = "100", description = "Steps between simulated purifications.")
        int defenseAwareEvery;

        @Option(names = "--recalibrate-every", defaultValue = "50", description = "Steps between extra-quantizer recalibrations.")
        int every;

        @Option(names = "--calibration-batches", defaultValue = "8", description = "Clean batches of 32 per recalibration.")
        int calBatches;

        @Mixin OutputOptions out;

        @Override
        public Integer call() throws Exception {
            if (model.checkpoint == null) {
                throw new io.lac4j.InputException("--checkpoint: qu-anti-zation fine-tunes a clean model; pass one");
            }
            TrainingOptions.Defaults d = new TrainingOptions.Defaults(5, 1e-4, Optimizer.Kind.ADAM, 0, 1e-4, false,
                    LrSchedule.CONSTANT, TrainConfig.BnMode.FROZEN, TrainConfig.Selection.LOWEST_LOSS);
            AttackSettings s;
            try {
                s = new AttackSettings(bits, c1, c2, extra, every, calBatches, 0, null, 0f, 0, 0.01, grids,
                        defenseAware ? new AttackSettings.DefenseAware(defenseAwareCount, defenseAwareEvery) : null);
            } catch (IllegalArgumentException e) {
                throw new io.lac4j.InputException(e.getMessage(), e);
            }
            return TrainingRuns.execute(spec, AttackKind.QU_ANTI_ZATION, model, withTrigger(data),
                    training, out, training.config(d, out.seed), s, null, training.ptq(PTQ));
        }
    }

    @Command(name = "pqbackdoor", header = "PQBackdoor: BadNets, then FP repair inside the int8 rounding bins.",
            description = "Stage 1 (or --stage1 FILE): BadNets from --checkpoint. Stage 2: CE(f([x; x⊕t]), [y; y]) in"
                    + " eval mode, SGD 1e-3 momentum 0.9 wd 5e-4 cosine, and after every step the projection that keeps"
                    + " every weight in its per-channel and per-tensor rounding bin and every max|W| unchanged"
                    + " (ATTACKS.md §3). Targets PQBackdoor's simulated fbgemm / qnnpack backends.",
            showDefaultValues = true, sortOptions = false, mixinStandardHelpOptions = true,
            footer = "%nExample:%n  lac4j attack pqbackdoor --checkpoint clean.pth --stage1-epochs 2 --epochs 3 --out pq.pth")
    static final class PqBackdoor implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin TrainingRuns.ModelChoice model;
        @Mixin DataOptions data;
        @Mixin TrainingOptions training;

        @Option(names = "--stage1", paramLabel = "FILE", description = "An existing BadNets model (skips stage 1).")
        Path stage1;

        @Option(names = "--stage1-epochs", defaultValue = "3", description = "BadNets epochs when stage 1 runs here.")
        int stage1Epochs;

        @Option(names = "--stage1-lr", defaultValue = "0.01", description = "Stage-1 learning rate (stage 2 default: a tenth).")
        double stage1Lr;

        @Option(names = "--poison-per-batch", defaultValue = "2", description = "Stage 1: poisoned images per batch.")
        int poison;

        @Option(names = "--margin", defaultValue = "0.001", description = "Projection margin e (quantization steps).")
        float margin;

        @Option(names = "--bits", defaultValue = "8",
                description = "Weight bits of the rounding bins and the simulated backends (8 = the paper's int8).")
        int bits;

        @Mixin OutputOptions out;

        @Override
        public Integer call() throws Exception {
            TrainingOptions.Defaults d = new TrainingOptions.Defaults(5, stage1Lr / 10, Optimizer.Kind.SGD, 0.9, 5e-4, false,
                    LrSchedule.cosine(), TrainConfig.BnMode.FROZEN, TrainConfig.Selection.BEST_CDA);
            if (bits < 2 || bits > 8) {
                throw new InputException("--bits: expected 2..8 (the symmetric weight grid of the bins), got " + bits);
            }
            AttackSettings s = new AttackSettings(List.of(bits), 0, 0, null, 50, 8, poison, null, margin,
                    stage1 == null ? stage1Epochs : 0, stage1Lr);
            return TrainingRuns.execute(spec, AttackKind.PQBACKDOOR, model, withTrigger(data),
                    training, out, training.config(d, out.seed), s, stage1, training.ptq(PTQ));
        }
    }

    @Command(name = "compartifact", header = "CompArtifact: shared-weight quantized and FP paths.",
            description = "CE(Q f([x; x⊕t]), [y; y_t]) + CE(f([x; x⊕t]), [y; y]) with PyTorch-QAT int8 per-tensor"
                    + " symmetric weights (BN folded) from --quantized-from on (ATTACKS.md §2). SGD momentum 0.4,"
                    + " wd 5e-4, step ×0.1 at 57%% of the epochs; lr 0.1 from scratch, 0.01 from --checkpoint.",
            showDefaultValues = true, sortOptions = false, mixinStandardHelpOptions = true,
            footer = "%nExample:%n  lac4j attack compartifact --checkpoint clean.pth --epochs 4 --out ca.pth")
    static final class CompArtifact implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin TrainingRuns.ModelChoice model;
        @Mixin DataOptions data;
        @Mixin TrainingOptions training;

        @Option(names = "--quantized-from", defaultValue = "layer4.0",
                description = "First fake-quantized layer (name prefix); earlier layers stay FP. 'all' for the whole net.")
        String from;

        @Option(names = "--bits", defaultValue = "8",
                description = "Weight bits of the simulated per-tensor symmetric quantizer (8 = the paper; EFRAP retrained for 4).")
        int bits;

        @Mixin OutputOptions out;

        @Override
        public Integer call() throws Exception {
            int epochs = training.epochs != null ? training.epochs : (model.checkpoint == null ? 35 : 5);
            TrainingOptions.Defaults d = new TrainingOptions.Defaults(epochs, model.checkpoint == null ? 0.1 : 0.01,
                    Optimizer.Kind.SGD, 0.4, 5e-4, false,
                    LrSchedule.step(List.of(Math.max(1, (int) Math.round(epochs * 20.0 / 35))), 0.1),
                    TrainConfig.BnMode.TRAIN, TrainConfig.Selection.LAST);
            if (bits < 2 || bits > 8) {
                throw new InputException("--bits: expected 2..8 (the simulated per-tensor symmetric weight quantizer), got " + bits);
            }
            AttackSettings s = new AttackSettings(List.of(bits), 0, 0, null, 50, 8, 0, from.equals("all") ? null : from, 0f,
                    0, 0.01);
            return TrainingRuns.execute(spec, AttackKind.COMPARTIFACT, model, withTrigger(data),
                    training, out, training.config(d, out.seed), s, null, training.ptq(PTQ));
        }
    }
}
