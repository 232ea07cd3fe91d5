package io.lac4j.cli;

import io.lac4j.optim.Optimizer;
import io.lac4j.training.LrSchedule;
import io.lac4j.training.TrainConfig;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Options shared by {@code train} and every {@code attack}: output, epochs, optimizer, schedule,
 * data subset, resume. Unset values take the command's own defaults (each attack's reference
 * values, ATTACKS.md), so the flags are boxed and {@code null} means "default".
 */
public final class TrainingOptions {
    @Option(names = "--out", required = true, paramLabel = "FILE.pth",
            description = "Where the selected weights go (PyTorch state_dict); FILE.json (manifest), FILE.log.csv/.json"
                    + " and FILE.resume.* are written next to it.")
    Path out;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs (default: the command's).")
    Integer epochs;

    @Option(names = "--lr", paramLabel = "RATE", description = "Learning rate (default: the command's).")
    Double lr;

    @Option(names = "--batch-size", paramLabel = "N", description = "Clean images per step (default 128).")
    Integer batchSize;

    @Option(names = "--optimizer", paramLabel = "sgd|adam", description = "Optimizer (default: the command's).")
    String optimizer;

    @Option(names = "--momentum", paramLabel = "M", description = "SGD momentum (default: the command's).")
    Double momentum;

    @Option(names = "--weight-decay", paramLabel = "WD", description = "L2 weight decay (default: the command's).")
    Double weightDecay;

    @Option(names = "--nesterov", description = "Nesterov momentum (SGD).")
    Boolean nesterov;

    @Option(names = "--schedule", paramLabel = "S", description = "constant, cosine or step:M1,M2[:GAMMA] (default: the command's).")
    String schedule;

    @Option(names = "--augment-padding", paramLabel = "PX",
            description = "RandomCrop padding with horizontal flip; -1 = no augmentation (default H/8).")
    Integer augmentPadding;

    @Option(names = "--train-images", defaultValue = "0", paramLabel = "N",
            description = "Train on a seeded random subset of N training images (0 = all).")
    int trainImages;

    @Option(names = "--eval-images", defaultValue = "2000", paramLabel = "N",
            description = "Test images evaluated (FP CDA / ASR-no-target) after every epoch, for the log and"
                    + " best-epoch selection; 0 = none.")
    int evalImages;

    @Option(names = "--test-images", defaultValue = "0", paramLabel = "N",
            description = "Final report on the first N test images (0 = the whole test set).")
    int testImages;

    @Option(names = "--select", paramLabel = "RULE",
            description = "Kept epoch: last, lowest-loss, best-cda, best-cda-asr (default: the command's).")
    String select;

    @Option(names = "--ptq-report", split = ",", paramLabel = "PRESET",
            description = "Naive PTQ presets evaluated on the result (e.g. academic-w4a4,academic-w8a8); 'none' for none.")
    List<String> ptqReport;

    @Option(names = "--resume", description = "Continue from the last finished epoch (FILE.resume.*).")
    boolean resume;

    /** Defaults of one command. */
    record Defaults(int epochs, double lr, Optimizer.Kind optimizer, double momentum, double weightDecay, boolean nesterov,
                    LrSchedule schedule, TrainConfig.BnMode bn, TrainConfig.Selection selection) {}

    TrainConfig config(Defaults d, long seed) {
        int e = epochs != null ? epochs : d.epochs();
        LrSchedule sched = schedule != null ? LrSchedule.parse(schedule, "--schedule") : d.schedule();
        TrainConfig.Selection sel = select != null ? selection(select) : d.selection();
        if (evalImages == 0 && (sel == TrainConfig.Selection.BEST_CDA || sel == TrainConfig.Selection.BEST_CDA_PLUS_ASR)) {
            sel = TrainConfig.Selection.LAST;
        }
        try {
            return new TrainConfig(e, batchSize != null ? batchSize : 128,
                    optimizer != null ? Optimizer.Kind.fromName(optimizer, "--optimizer") : d.optimizer(),
                    lr != null ? lr : d.lr(), momentum != null ? momentum : d.momentum(),
                    weightDecay != null ? weightDecay : d.weightDecay(), nesterov != null ? nesterov : d.nesterov(),
                    sched, augmentPadding != null ? augmentPadding : -2, d.bn(), sel, trainImages, evalImages, seed);
        } catch (IllegalArgumentException ex) {
            throw new io.lac4j.InputException(ex.getMessage());
        }
    }

    List<String> ptq(List<String> defaults) {
        if (ptqReport == null) {
            return defaults;
        }
        return ptqReport.stream().filter(s -> !s.equalsIgnoreCase("none")).toList();
    }

    private static TrainConfig.Selection selection(String s) {
        return switch (s) {
            case "last" -> TrainConfig.Selection.LAST;
            case "lowest-loss" -> TrainConfig.Selection.LOWEST_LOSS;
            case "best-cda" -> TrainConfig.Selection.BEST_CDA;
            case "best-cda-asr" -> TrainConfig.Selection.BEST_CDA_PLUS_ASR;
            default -> throw new io.lac4j.InputException("--select: expected one of "
                    + Arrays.asList("last", "lowest-loss", "best-cda", "best-cda-asr") + ", got '" + s + "'");
        };
    }
}
