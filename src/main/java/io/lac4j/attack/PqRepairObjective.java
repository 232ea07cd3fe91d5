package io.lac4j.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.lac4j.data.Batch;
import io.lac4j.data.DataView;
import io.lac4j.nn.Graph;
import io.lac4j.training.Losses;
import io.lac4j.training.Objective;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * PQBackdoor's stage 2 (ATTACKS.md §3.3): {@code CE(f([x; x⊕t]), [y; y])} — triggered inputs
 * carry their true label, so the FP model forgets the backdoor — followed after every update by
 * the {@link PqProjection} onto the stage-1 model's rounding bins and scales.
 */
public final class PqRepairObjective implements Objective {
    private final Graph graph;
    private final DataView clean;
    private final DataView triggered;
    private final PqProjection projection;

    public PqRepairObjective(Graph graph, DataView clean, DataView triggered, PqProjection projection) {
        this.graph = graph;
        this.clean = clean;
        this.triggered = triggered;
        this.projection = projection;
    }

    @Override
    public Outcome loss(int[] positions, long seed, NDManager scope) {
        Batch b = clean.batch(positions, scope, seed);
        Batch t = triggered.batch(positions, scope, seed ^ 0x2545F491L);
        int n = positions.length;
        NDArray logits = graph.forward(Losses.concat(b.images(), t.images()));
        NDArray loss = Losses.crossEntropy(logits, Losses.concat(b.labels(), t.labels()));
        Map<String, Double> terms = new LinkedHashMap<>();
        terms.put("ce", (double) loss.getFloat());
        return new Outcome(loss, Losses.correct(logits.get(":" + n), b.labels()), n, terms);
    }

    @Override
    public void afterUpdate(NDManager scope) {
        projection.apply(graph);
    }

    @Override
    public String describe() {
        return "PQBackdoor stage 2: CE(f([x; x⊕t]), [y; y]) + projection into the stage-1 rounding bins (e = "
                + PqProjection.MARGIN + ")";
    }
}
