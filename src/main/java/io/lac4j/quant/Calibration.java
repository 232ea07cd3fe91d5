package io.lac4j.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.lac4j.engine.Progress;
import io.lac4j.nn.Graph;
import io.lac4j.nn.Node;
import java.util.EnumSet;
import java.util.Set;

/**
 * Calibration exactly as lac.py does it (LAC.md §7): activation observers over every calibration
 * batch with all fake quantization off (so they see the FP network's activations), then weight
 * observers once, then every quantizer on with observers off.
 */
public final class Calibration {
    private Calibration() {}

    /**
     * @param batches {@code k -> images of batch k} created in the given manager, {@code k < count}
     */
    public static void run(QuantizedModel qm, int count, BatchSource batches, NDManager parent, Progress progress) {
        observeActivations(qm.graph(), qm.quantizers(), count, batches, parent, progress);
        calibrateWeights(qm, parent);
        qm.enableQuantization();
    }

    /**
     * The activation pass: {@code quantizers}' activation observers watch {@code count} batches through {@code g}
     * (eval mode) with every one of them not quantizing; the others of the list are off.
     */
    public static void observeActivations(Graph g, Iterable<? extends FakeQuantizer> quantizers, int count,
                                          BatchSource batches, NDManager parent, Progress progress) {
        g.setTraining(false);
        QuantStates.calibrate(quantizers, EnumSet.of(QuantizerRole.ACTIVATION));
        for (int k = 0; k < count; k++) {
            try (NDManager step = parent.newSubManager()) {
                g.forward(batches.batch(k, step));
            }
            progress.step("calibrate activations", k + 1, count, "");
        }
    }

    /** Weight observers see only weights, so one pass over them replaces the reference's forward (Q29). */
    public static void calibrateWeights(QuantizedModel qm, NDManager parent) {
        calibrateWeights(qm, null, parent);
    }

    /**
     * The weight pass for the layers named in {@code nodes} (null: every layer); the other quantizers are left as they
     * are, not switched off.
     */
    public static void calibrateWeights(QuantizedModel qm, Set<String> nodes, NDManager parent) {
        if (nodes == null) {
            QuantStates.calibrate(qm.quantizers(), EnumSet.of(QuantizerRole.WEIGHT));
        }
        try (NDManager step = parent.newSubManager()) {
            for (Node n : qm.graph().nodes()) {
                FakeQuantizer q = qm.weightQuantizers().get(n.name());
                if (q != null && (nodes == null || nodes.contains(n.name()))) {
                    q.setState(true, false);
                    NDArray w = n.weighted().weight();
                    step.tempAttachAll(w);
                    q.apply(w);
                }
            }
        }
    }

    /** Calibration images by batch index, created in the manager passed in. */
    @FunctionalInterface
    public interface BatchSource {
        NDArray batch(int k, NDManager manager);
    }
}
