package io.lac4j.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.lac4j.Lac4jException;
import io.lac4j.data.Batcher;
import io.lac4j.data.DataView;
import io.lac4j.engine.Engines;
import io.lac4j.engine.Progress;
import io.lac4j.engine.Seeds;
import io.lac4j.nn.BatchNorm2d;
import io.lac4j.nn.Graph;
import io.lac4j.nn.Node;
import io.lac4j.optim.Optimizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mini-batch training loop every attack shares: per epoch a seeded permutation of the
 * training selection, per step the {@link Objective}'s loss, one backward pass, one optimizer
 * update, then the objective's post-update hook; at the end of each epoch an optional FP
 * evaluation, checkpoint selection ({@link TrainConfig.Selection}) and the resume state.
 *
 * <p>Memory (STYLE §6.4): each step runs in its own sub-manager of {@code run} with the model's
 * parameters temporarily attached, so nothing a step computes outlives it.
 */
public final class Trainer {
    /** FP metrics of the model on the per-epoch test subset, in %; asrNoTarget null without trigger. */
    public record Quick(double cda, Double asrNoTarget) {}

    /** Evaluates the FP model (called with BN in eval mode, no autograd). */
    @FunctionalInterface
    public interface Evaluator {
        Quick evaluate(NDManager scope);
    }

    /** Where the trainer hands its results: the selected weights, and the state for {@code --resume}. */
    public interface Sink {
        /** The current weights are the best so far: write them. */
        void saveSelected(int epoch);

        /** End of epoch: persist everything {@link #resume} needs. */
        void saveResume(ResumeState state, Map<String, NDArray> optimizerState);

        /** The saved state, or null to start fresh (called before parameters are collected). */
        ResumeState resume(Graph graph, NDManager manager);

        /** Optimizer buffers saved with the resume state. */
        Map<String, float[]> resumeOptimizer();

        /** One finished epoch (for the training log). */
        void onEpoch(EpochRecord record);
    }

    /** What a resumed run needs besides weights and optimizer buffers. */
    public record ResumeState(int epochsDone, long steps, double bestScore, int bestEpoch, List<EpochRecord> records) {
        public ResumeState {
            records = List.copyOf(records);
        }
    }

    private final Graph graph;
    private final TrainConfig cfg;
    private final Objective objective;
    private final DataView selection;
    private final Evaluator evaluator;
    private final Sink sink;

    public Trainer(Graph graph, TrainConfig cfg, Objective objective, DataView selection, Evaluator evaluator, Sink sink) {
        this.graph = graph;
        this.cfg = cfg;
        this.objective = objective;
        this.selection = selection;
        this.evaluator = evaluator;
        this.sink = sink;
    }

    /** Runs the remaining epochs; returns every epoch's record (resumed ones included). */
    public List<EpochRecord> run(NDManager run, Progress progress) {
        ResumeState resumed = sink.resume(graph, run);
        // sorted by state_dict key: parameterNames() is a Set.of (order varies between JVMs), and the
        // optimizer state saved for --resume is matched by position
        List<NDArray> params = graph.parameters().entrySet().stream()
                .sorted(Map.Entry.comparingByKey()).map(Map.Entry::getValue).toList();
        for (NDArray p : params) {
            p.setRequiresGradient(true);
        }
        Optimizer opt = cfg.newOptimizer(params, run);
        List<EpochRecord> records = new ArrayList<>();
        int start = 0;
        double best = Double.NaN;
        int bestEpoch = -1;
        if (resumed != null) {
            opt.load(sink.resumeOptimizer(), resumed.steps());
            records.addAll(resumed.records());
            start = resumed.epochsDone();
            best = resumed.bestScore();
            bestEpoch = resumed.bestEpoch();
        }
        Batcher batcher = Batcher.shuffled(selection, cfg.batchSize(), Seeds.forStage(cfg.seed(), "shuffle"), false);
        long augmentSeed = Seeds.forStage(cfg.seed(), "augment");
        for (int epoch = start; epoch < cfg.epochs(); epoch++) {
            long t0 = System.nanoTime();
            double lr = cfg.schedule().lr(cfg.lr(), epoch, cfg.epochs());
            Batcher.Epoch plan = batcher.epoch(epoch);
            int n = plan.numBatches();
            double lossSum = 0;
            long seenSum = 0;
            long correctSum = 0;
            Map<String, Double> termSums = new LinkedHashMap<>();
            for (int b = 0; b < n; b++) {
                try (NDManager step = run.newSubManager()) {
                    step.tempAttachAll(params.toArray(NDArray[]::new));
                    objective.beforeStep(opt.steps(), step);
                    setTrainingMode();
                    Objective.Outcome out;
                    float loss;
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        out = objective.loss(plan.positions(b), augmentSeed ^ (epoch * 1_000_003L + b), step);
                        loss = out.loss().getFloat();
                        if (!Float.isFinite(loss)) {
                            throw new Lac4jException("training: epoch " + (epoch + 1) + " step " + (b + 1)
                                    + ": loss is " + loss + " (terms " + out.terms() + "); try a smaller --lr");
                        }
                        Engines.backward(gc, out.loss());
                    }
                    opt.step(lr);
                    objective.afterUpdate(step);
                    lossSum += loss;
                    seenSum += out.seen();
                    correctSum += out.correct();
                    out.terms().forEach((k, v) -> termSums.merge(k, v, Double::sum));
                    progress.step("epoch " + (epoch + 1) + "/" + cfg.epochs(), b + 1, n,
                            String.format("loss %.4f acc %.2f%%", lossSum / (b + 1),
                                    seenSum == 0 ? 0.0 : 100.0 * correctSum / seenSum));
                }
            }
            Map<String, Double> terms = new LinkedHashMap<>();
            final int batches = n;
            termSums.forEach((k, v) -> terms.put(k, v / batches));
            Quick q = null;
            if (evaluator != null && cfg.evalImages() > 0) {
                graph.setTraining(false);
                try (NDManager scope = run.newSubManager()) {
                    q = evaluator.evaluate(scope);
                }
            }
            double avgLoss = lossSum / n;
            double score = score(avgLoss, q);
            boolean better = bestEpoch < 0 || cfg.selection() == TrainConfig.Selection.LAST || score > best;
            if (better) {
                best = score;
                bestEpoch = epoch;
                sink.saveSelected(epoch);
            }
            EpochRecord rec = new EpochRecord(epoch + 1, lr, avgLoss, seenSum == 0 ? 0 : 100.0 * correctSum / seenSum,
                    terms, q == null ? null : q.cda(), q == null ? null : q.asrNoTarget(),
                    (System.nanoTime() - t0) / 1e9, better);
            records.add(rec);
            sink.onEpoch(rec);
            sink.saveResume(new ResumeState(epoch + 1, opt.steps(), best, bestEpoch, records), opt.state());
        }
        graph.setTraining(false);
        for (NDArray p : params) {
            p.setRequiresGradient(false);
        }
        return records;
    }

    /** Higher is better. */
    private double score(double loss, Quick q) {
        return switch (cfg.selection()) {
            case LAST -> 0;
            case LOWEST_LOSS -> -loss;
            case BEST_CDA -> q.cda();
            case BEST_CDA_PLUS_ASR -> q.cda() + (q.asrNoTarget() == null ? 0 : q.asrNoTarget());
        };
    }

    /** Train mode everywhere, except BatchNorm when frozen (Qu-ANTI-zation keeps Dropout active). */
    private void setTrainingMode() {
        for (Node node : graph.nodes()) {
            boolean bn = node.op() instanceof BatchNorm2d;
            node.op().setTraining(!bn || cfg.bnMode() == TrainConfig.BnMode.TRAIN);
        }
    }
}
