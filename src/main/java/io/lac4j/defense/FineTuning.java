package io.lac4j.defense;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.lac4j.data.DataView;
import io.lac4j.engine.Progress;
import io.lac4j.engine.Seeds;
import io.lac4j.nn.Graph;
import io.lac4j.optim.Optimizer;
import io.lac4j.training.CleanObjective;
import io.lac4j.training.EpochRecord;
import io.lac4j.training.LrSchedule;
import io.lac4j.training.Objective;
import io.lac4j.training.TrainConfig;
import io.lac4j.training.Trainer;
import java.util.List;
import java.util.Map;

/**
 * FT: {@code CE(f(x), y)} on the clean images a defender has (the calibration images, with their
 * labels), SGD lr 0.01, momentum 0.9, weight decay 5e-4, batch 32, cosine schedule, BatchNorm in
 * train mode — BackdoorBench's FT settings, scaled to a few epochs. The graph is changed in place.
 */
public final class FineTuning implements Defense {
    public static final double LR = 0.01;
    public static final double MOMENTUM = 0.9;
    public static final double WEIGHT_DECAY = 5e-4;
    public static final int BATCH = 32;
    /** Epochs when {@code --epochs} is not given (FT and Fine-Pruning). */
    public static final int EPOCHS = 5;

    @Override
    public String name() {
        return "ft";
    }

    @Override
    public String phase() {
        return "ft";
    }

    @Override
    public String description() {
        return "fine-tuning the FP model on the clean calibration images, then naive PTQ";
    }

    @Override
    public java.util.Set<String> reads() {
        return java.util.Set.of(Defenses.EPOCHS);
    }

    @Override
    public Map<String, Object> settings(DefenseOptions options) {
        return new java.util.LinkedHashMap<>(Map.of("epochs", options.epochsOr(EPOCHS)));
    }

    @Override
    public Defended apply(DefenseContext ctx) {
        return tuneAndQuantize(ctx, null);
    }

    /** Fine-tunes the context's FP model (keeping {@code pruned} channels at zero) and quantizes it like the naive model. */
    static Defended tuneAndQuantize(DefenseContext ctx, ChannelPruning.Pruned pruned) {
        long t0 = System.nanoTime();
        run(ctx.fp(), ctx.cleanCalibrationView(), ctx.options().epochsOr(EPOCHS), Seeds.forStage(ctx.options().seed(), "fine-tune"),
                pruned, ctx.manager(), ctx.progress());
        ctx.fp().setTraining(false);
        ctx.timings().put("fine_tune", (System.nanoTime() - t0) / 1e9);
        return Defended.of(ctx.quantize(ctx.fp()));
    }

    /** Fine-tunes {@code g} for {@code epochs} over {@code clean}; returns the epoch log. */
    public static List<EpochRecord> run(Graph g, DataView clean, int epochs, long seed, NDManager run, Progress progress) {
        return run(g, clean, epochs, seed, null, run, progress);
    }

    /** The same with the pruned channels kept at zero after every update (Fine-Pruning). */
    public static List<EpochRecord> run(Graph g, DataView clean, int epochs, long seed, ChannelPruning.Pruned pruned,
                                        NDManager run, Progress progress) {
        TrainConfig cfg = new TrainConfig(epochs, BATCH, Optimizer.Kind.SGD, LR, MOMENTUM, WEIGHT_DECAY, false,
                LrSchedule.cosine(), -1, TrainConfig.BnMode.TRAIN, TrainConfig.Selection.LAST, 0, 0, seed);
        Objective ce = new CleanObjective(g, clean, null, 0, 0);
        Objective objective = pruned == null ? ce : new Objective() {
            @Override
            public Outcome loss(int[] positions, long stepSeed, NDManager scope) {
                return ce.loss(positions, stepSeed, scope);
            }

            @Override
            public void afterUpdate(NDManager scope) {
                ChannelPruning.apply(g, pruned);
            }

            @Override
            public String describe() {
                return ce.describe() + ", " + pruned.indices().length + " channels of " + pruned.conv() + " pruned";
            }
        };
        return new Trainer(g, cfg, objective, clean, null, new NoFiles()).run(run, progress);
    }

    /** The defense keeps nothing on disk between epochs: no selection files, no resume state. */
    private static final class NoFiles implements Trainer.Sink {
        @Override
        public void saveSelected(int epoch) {}

        @Override
        public void saveResume(Trainer.ResumeState state, Map<String, NDArray> optimizerState) {}

        @Override
        public Trainer.ResumeState resume(Graph graph, NDManager manager) {
            return null;
        }

        @Override
        public Map<String, float[]> resumeOptimizer() {
            return Map.of();
        }

        @Override
        public void onEpoch(EpochRecord record) {}
    }
}
