package io.lac4j.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.lac4j.data.Batch;
import io.lac4j.data.DataView;
import io.lac4j.engine.Progress;
import java.util.function.UnaryOperator;

/**
 * Evaluates a model (any {@code NDArray -> logits} function, usually {@code graph::forward}) on
 * {@link EvalSets}: CDA, ASR over all triggered images and ASR-no-target, with top-5. Batches are
 * built and freed in a sub-manager each, so memory stays flat (LAC.md §10.1 semantics; ties rank
 * the lower class index first).
 */
public final class BackdoorEvaluator {
    private BackdoorEvaluator() {}

    /** All three metrics of one phase; {@code task} prefixes progress reports. */
    public static PhaseMetrics evaluate(UnaryOperator<NDArray> model, EvalSets sets, NDManager parent, Progress progress, String task) {
        return evaluate(model, sets, parent, progress, task, null);
    }

    /** As {@link #evaluate(UnaryOperator, EvalSets, NDManager, Progress, String)}, keeping every image's top-1 in {@code keep} (null: not kept). */
    public static PhaseMetrics evaluate(UnaryOperator<NDArray> model, EvalSets sets, NDManager parent, Progress progress, String task,
                                        Predictions keep) {
        long t0 = System.nanoTime();
        Counts clean = run(model, sets.clean(), sets.batchSize(), -1, parent, progress, task + "/clean",
                keep == null ? null : keep.view("clean", sets.clean().size()));
        Accuracy asr = null;
        Accuracy asrNt = null;
        if (sets.hasTrigger()) {
            Counts trig = run(model, sets.triggered(), sets.batchSize(), sets.target(), parent, progress, task + "/triggered",
                    keep == null ? null : keep.view("triggered", sets.triggered().size()));
            asr = trig.all();
            if (sets.noTarget() == null) {
                asrNt = trig.nonTarget();
            } else {
                asrNt = run(model, sets.noTarget(), sets.batchSize(), -1, parent, progress, task + "/no-target",
                        keep == null ? null : keep.view("no_target", sets.noTarget().size())).all();
            }
        }
        return new PhaseMetrics(clean.all(), asr, asrNt, (System.nanoTime() - t0) / 1e9);
    }

    /** Top-1/top-5 of {@code model} on one view against the view's labels. */
    public static Accuracy accuracy(UnaryOperator<NDArray> model, DataView view, int batchSize, NDManager parent) {
        return run(model, view, batchSize, -1, parent, Progress.NONE, "eval", null).all();
    }

    /**
     * Forwards the whole view once. With {@code target >= 0} it also counts, separately, the
     * images whose true (source) label differs from the target — the no-target subset. {@code top1}, when
     * given, receives every image's predicted class.
     */
    private static Counts run(UnaryOperator<NDArray> model, DataView view, int batchSize, int target,
                              NDManager parent, Progress progress, String task, int[] top1) {
        Counts c = new Counts();
        int n = view.size();
        int batches = (n + batchSize - 1) / batchSize;
        for (int b = 0; b < batches; b++) {
            int from = b * batchSize;
            int to = Math.min(n, from + batchSize);
            try (NDManager step = parent.newSubManager()) {
                Batch batch = view.batch(from, to, step);
                NDArray logits = model.apply(batch.images());
                int k = (int) logits.getShape().get(1);
                float[] l = logits.toFloatArray();
                for (int i = 0; i < to - from; i++) {
                    int label = view.label(from + i);
                    int rank = rank(l, i * k, k, label);
                    boolean nonTarget = target >= 0 && view.source().label(view.sourceIndex(from + i)) != target;
                    c.add(rank, nonTarget);
                    if (top1 != null) {
                        top1[from + i] = Predictions.top1(l, i * k, k);
                    }
                }
            }
            progress.step(task, b + 1, batches, "");
        }
        return c;
    }

    /** Number of classes ranked above {@code label}: higher logit, or equal logit and lower index. */
    static int rank(float[] logits, int off, int k, int label) {
        float v = logits[off + label];
        int r = 0;
        for (int j = 0; j < k; j++) {
            float u = logits[off + j];
            if (u > v || (u == v && j < label)) {
                r++;
            }
        }
        return r;
    }

    private static final class Counts {
        long n;
        long top1;
        long top5;
        long ntN;
        long ntTop1;
        long ntTop5;

        void add(int rank, boolean nonTarget) {
            n++;
            top1 += rank == 0 ? 1 : 0;
            top5 += rank < 5 ? 1 : 0;
            if (nonTarget) {
                ntN++;
                ntTop1 += rank == 0 ? 1 : 0;
                ntTop5 += rank < 5 ? 1 : 0;
            }
        }

        Accuracy all() {
            return Accuracy.of(top1, top5, n);
        }

        Accuracy nonTarget() {
            return Accuracy.of(ntTop1, ntTop5, ntN);
        }
    }
}
