package io.lac4j.cli;

import io.lac4j.attack.AttackKind;
import io.lac4j.attack.AttackSettings;
import io.lac4j.optim.Optimizer;
import io.lac4j.training.LrSchedule;
import io.lac4j.training.TrainConfig;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "train",
        header = "Train a clean model (the starting point the attacks fine-tune).",
        description = "Mini-batch SGD (momentum 0.9, weight decay 5e-4, cosine) with RandomCrop(H/8)+flip by default;"
                + " BatchNorm in train mode; keeps the epoch with the best FP accuracy on the per-epoch test subset."
                + " Writes a PyTorch state_dict, a manifest and a CSV/JSON training log; --resume continues a run.",
        showDefaultValues = true, sortOptions = false, mixinStandardHelpOptions = true,
        footer = "%nExample:%n  lac4j train --arch resnet18-cifar --width 16 --epochs 8 --out clean.pth --trigger stage2")
final class TrainCommand implements Callable<Integer> {
    static final TrainingOptions.Defaults DEFAULTS = new TrainingOptions.Defaults(20, 0.05, Optimizer.Kind.SGD, 0.9, 5e-4,
            false, LrSchedule.cosine(), TrainConfig.BnMode.TRAIN, TrainConfig.Selection.BEST_CDA);

    @Spec CommandSpec spec;
    @Mixin TrainingRuns.ModelChoice model;
    @Mixin DataOptions data;
    @Mixin TrainingOptions training;
    @Mixin OutputOptions out;

    @Override
    public Integer call() throws Exception {
        return TrainingRuns.execute(spec, AttackKind.CLEAN, model, data, training, out,
                training.config(DEFAULTS, out.seed), AttackSettings.DEFAULTS, null, training.ptq(List.of()));
    }
}
