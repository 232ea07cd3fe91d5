package io.lac4j.ptq;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.lac4j.Lac4jException;
import io.lac4j.nn.Graph;
import io.lac4j.quant.FakeQuantizer;
import io.lac4j.quant.LearnedOffsetQuantizer;
import io.lac4j.quant.QuantizedModel;
import java.util.ArrayList;
import java.util.List;

/** LAC's rounding (LAC.md §6.7, §8.4–8.5): α = 0 per weight, no penalty, hard value rne((w + α)/s). */
final class LacRounding implements WeightRounding {
    @Override
    public UnitRounding begin(QuantizedModel qm, ReconstructionUnit unit, NDManager unitScope) {
        Graph g = qm.graph();
        List<NDArray> alphas = new ArrayList<>();
        for (String name : unit.weighted()) {
            alphas.add(quantizer(qm, name).initLearning(unitScope, g.node(name).weighted().weight().getShape()));
        }
        return new UnitRounding() {
            @Override
            public List<NDArray> trainables() {
                return alphas;
            }

            @Override
            public NDArray penalty(NDManager step, int iteration) {
                return null;
            }

            @Override
            public void harden() {
                hardenWeights(qm, unit);
            }
        };
    }

    @Override
    public String name() {
        return "lac";
    }

    /** Writes each weight's hard value (rne of w + α) back and ends learning. */
    static void hardenWeights(QuantizedModel qm, ReconstructionUnit unit) {
        for (String name : unit.weighted()) {
            LearnedOffsetQuantizer q = quantizer(qm, name);
            writeBack(qm, name, q);
            q.endLearning();
            q.setState(false, true);
        }
    }

    /** {@code name.weight ← q.hardValue(weight)}, owned by the graph. */
    static void writeBack(QuantizedModel qm, String name, FakeQuantizer q) {
        Graph g = qm.graph();
        NDArray w = g.node(name).weighted().weight();
        NDArray hard;
        try (NDManager tmp = w.getManager().newSubManager()) {
            tmp.tempAttachAll(w);
            hard = q.hardValue(w);
            hard.attach(g.manager());
        }
        g.assign(name + ".weight", hard);
    }

    static LearnedOffsetQuantizer quantizer(QuantizedModel qm, String node) {
        FakeQuantizer q = qm.weightQuantizers().get(node);
        if (q instanceof LearnedOffsetQuantizer lo) {
            return lo;
        }
        throw new Lac4jException("ptq: unit node '" + node + "' has weight quantizer " + q
                + "; LAC needs w_fakequantize: AdaRoundFakeQuantize (the learned-offset quantizer)");
    }
}
