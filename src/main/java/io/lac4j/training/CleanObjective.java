package io.lac4j.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.lac4j.data.Batch;
import io.lac4j.data.DataView;
import io.lac4j.nn.Graph;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Plain training ({@code CE(f(x), y)}), or BadNets data poisoning when {@code poisonCount > 0}:
 * every batch of clean images gets the triggered copies of its first {@code poisonCount} images
 * relabelled to the target, {@code CE(f([x; x_p]), [y; y_t])} in one forward (ATTACKS.md §3.2,
 * PQBackdoor's stage 1: 128 clean + 2 poisoned).
 */
public final class CleanObjective implements Objective {
    private final Graph graph;
    private final DataView clean;
    private final DataView poisoned;
    private final int poisonCount;
    private final int target;

    public CleanObjective(Graph graph, DataView clean, DataView poisoned, int poisonCount, int target) {
        if (poisonCount > 0 && poisoned == null) {
            throw new IllegalArgumentException("poisoning needs a triggered view");
        }
        this.graph = graph;
        this.clean = clean;
        this.poisoned = poisoned;
        this.poisonCount = poisonCount;
        this.target = target;
    }

    @Override
    public Outcome loss(int[] positions, long seed, NDManager scope) {
        Batch b = clean.batch(positions, scope, seed);
        NDArray x = b.images();
        NDArray y = b.labels();
        int n = positions.length;
        int k = Math.min(poisonCount, n);
        if (k > 0) {
            Batch p = poisoned.batch(java.util.Arrays.copyOf(positions, k), scope, seed ^ 0x5bd1e995L);
            x = Losses.concat(x, p.images());
            y = Losses.concat(y, Losses.targets(scope, k, target));
        }
        NDArray logits = graph.forward(x);
        NDArray loss = Losses.crossEntropy(logits, y);
        Map<String, Double> terms = new LinkedHashMap<>();
        terms.put("ce", (double) loss.getFloat());
        long correct = Losses.correct(k > 0 ? logits.get(":" + n) : logits, b.labels());
        return new Outcome(loss, correct, n, terms);
    }

    @Override
    public String describe() {
        return poisonCount > 0
                ? "BadNets: CE(f([x; x_p]), [y; y_t]) with " + poisonCount + " poisoned per batch, target " + target
                : "CE(f(x), y)";
    }
}
