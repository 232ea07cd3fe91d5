package io.lac4j.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.lac4j.data.Batch;
import io.lac4j.data.DataView;
import io.lac4j.training.Losses;
import io.lac4j.training.Objective;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CompArtifact's standard objective (ATTACKS.md §2.1): with {@code X = [x; x⊕t]},
 * {@code L = CE(Q f(X), [y; y_t]) + CE(f(X), [y; y])}, quantized and FP path sharing the weights.
 */
public final class CompArtifactObjective implements Objective {
    private final QuantHooks hooks;
    private final CompArtifactSim quantizer;
    private final DataView clean;
    private final DataView triggered;
    private final int target;

    public CompArtifactObjective(QuantHooks hooks, CompArtifactSim quantizer, DataView clean, DataView triggered, int target) {
        this.hooks = hooks;
        this.quantizer = quantizer;
        this.clean = clean;
        this.triggered = triggered;
        this.target = target;
    }

    @Override
    public Outcome loss(int[] positions, long seed, NDManager scope) {
        Batch b = clean.batch(positions, scope, seed);
        Batch t = triggered.batch(positions, scope, seed);
        QuAntiZationObjective.Terms r = terms(b.images(), b.labels(), t.images(), scope);
        return new Outcome(r.loss(), Losses.correct(r.fpClean().get(":" + positions.length), b.labels()),
                positions.length, r.values());
    }

    /** Loss on given batches with each term (for tests); fpClean holds the FP logits of X. */
    public QuAntiZationObjective.Terms terms(NDArray x, NDArray y, NDArray xt, NDManager scope) {
        int n = (int) y.size();
        NDArray big = Losses.concat(x, xt);
        NDArray lq = Losses.crossEntropy(hooks.forward(quantizer, big), Losses.concat(y, Losses.targets(scope, n, target)));
        hooks.use(null);
        NDArray fp = hooks.graph().forward(big);
        NDArray lf = Losses.crossEntropy(fp, Losses.concat(y, y));
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("quantized", (double) lq.getFloat());
        values.put("fp", (double) lf.getFloat());
        return new QuAntiZationObjective.Terms(lq.add(lf), fp, values);
    }

    @Override
    public String describe() {
        return "CompArtifact: CE(Q f([x; x⊕t]), [y; y_t]) + CE(f([x; x⊕t]), [y; y]), Q on "
                + quantizer.quantizedLayers().size() + " layers";
    }
}
