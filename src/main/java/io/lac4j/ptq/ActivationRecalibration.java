package io.lac4j.ptq;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.lac4j.nn.Graph;
import io.lac4j.nn.Node;
import io.lac4j.quant.FakeQuantizer;
import io.lac4j.quant.QuantizedModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * lac-act option {@code act_recalibrate}: before a unit is optimised, its own activation quantizers
 * get fresh ranges observed on the unit's (PDA-approximated) cached inputs instead of the clean
 * calibration set — the calibration of LAC.md §7 (fresh observers, every quantizer of the unit
 * off while observing, so they see FP activations of the unit), restricted to one unit.
 */
public final class ActivationRecalibration {
    private ActivationRecalibration() {}

    /** Re-observes the unit's activation quantizers over {@code inputs} in order; returns their names. */
    public static List<String> run(QuantizedModel qm, ReconstructionUnit unit, List<NDArray> inputs, NDManager scope) {
        Graph g = qm.graph();
        List<String> acts = new ArrayList<>();
        List<FakeQuantizer> all = new ArrayList<>();
        for (String n : unit.nodes()) {
            if (qm.isActivationQuantizer(n)) {
                acts.add(n);
                FakeQuantizer q = qm.activationQuantizers().get(n);
                if (q.observer() != null) {
                    q.observer().reset();
                }
                all.add(q);
            }
        }
        if (acts.isEmpty()) {
            return acts;
        }
        List<FakeQuantizer> weights = unit.weighted().stream().map(w -> qm.weightQuantizers().get(w)).toList();
        List<Node> nodes = unit.nodes().stream().map(g::node).toList();
        try {
            for (FakeQuantizer q : weights) {
                q.setState(false, false);
            }
            for (FakeQuantizer q : all) {
                q.setState(true, false);
            }
            for (NDArray x : inputs) {
                try (NDManager step = scope.newSubManager()) {
                    step.tempAttachAll(x);
                    Map<String, NDArray> env = new HashMap<>();
                    env.put(unit.input(), x);
                    g.run(env, nodes);
                }
            }
        } finally {
            for (FakeQuantizer q : all) {
                q.setState(false, true);
            }
            for (FakeQuantizer q : weights) {
                q.setState(false, true);
            }
        }
        return acts;
    }
}
