package io.lac4j.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.lac4j.data.DataView;
import io.lac4j.engine.Progress;
import io.lac4j.quant.ActivationQuantLayer;
import io.lac4j.quant.Calibration;
import io.lac4j.quant.FakeQuantizer;
import io.lac4j.quant.Observer;
import io.lac4j.quant.PrepareOptions;
import io.lac4j.quant.QuantPreset;
import io.lac4j.quant.QuantStates;
import io.lac4j.quant.QuantizedModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A deployment quantizer added to an attack objective (FINDINGS.md §2, issue 9): MQBench-Academic
 * quantizers inserted into the training graph itself ({@link QuantizedModel#insertInto}, shared
 * weights), off except during its own forward passes, ranges recalibrated on clean training
 * batches every {@code every} steps (fresh observers, LAC.md §7 order: activations, then weights).
 * Must be inserted before {@link QuantHooks#install}.
 *
 * <p>With more than one activation grid (the adaptive multi-grid attack, issue 20) the same weights
 * and weight quantizers are run under each grid in turn: every activation quantizer node gets one
 * quantizer per extra observer kind, calibrated on the same batches, and swapped in for that grid's
 * passes — so a defense that only changes how activation ranges are observed (lac-act's MinMax) meets
 * a backdoor trained for its grid too.
 */
public final class ExtraQuantizer {
    private final QuantPreset preset;
    private final QuantizedModel qm;
    private final DataView calibration;
    private final int batches;
    private final int batchSize;
    private final int every;
    private final long seed;
    /** Per extra grid (not the preset's own), a quantizer per activation node. */
    private final Map<Observer.Kind, Map<String, FakeQuantizer>> grids = new LinkedHashMap<>();

    public ExtraQuantizer(QuantPreset preset, QuantizedModel qm, DataView calibration, int batches, int batchSize,
                          int every, long seed) {
        this(preset, qm, calibration, batches, batchSize, every, seed, List.of());
    }

    /**
     * @param activationGrids the observer kinds the activation ranges are taken with, one forward pass pair each;
     *     empty: the preset's own only
     */
    public ExtraQuantizer(QuantPreset preset, QuantizedModel qm, DataView calibration, int batches, int batchSize,
                          int every, long seed, List<Observer.Kind> activationGrids) {
        if (every <= 0 || batches <= 0 || batchSize <= 0) {
            throw new IllegalArgumentException("extra quantizer: recalibration every/batches/batch size must be > 0");
        }
        this.preset = preset;
        this.qm = qm;
        this.calibration = calibration;
        this.batches = batches;
        this.batchSize = batchSize;
        this.every = every;
        this.seed = seed;
        for (Observer.Kind kind : activationGrids) {
            if (kind == preset.config().activationObserver() || grids.containsKey(kind)) {
                continue;
            }
            Map<String, FakeQuantizer> bank = new LinkedHashMap<>();
            qm.activationQuantizers().forEach((node, q) -> bank.put(node,
                    preset.config().newActivationQuantizer(q.scheme().bits(), kind)));
            grids.put(kind, bank);
        }
        qm.disableAll();
    }

    public String name() {
        return preset.presetName();
    }

    public QuantPreset preset() {
        return preset;
    }

    /** The grids' names in forward order: the preset's own observer first, then the extra ones. */
    public List<String> gridNames() {
        List<String> out = new ArrayList<>();
        out.add(preset.config().activationObserver().configName());
        grids.keySet().forEach(k -> out.add(k.configName()));
        return out;
    }

    /** Recalibrates at steps 0, every, 2·every, … */
    public void maybeRecalibrate(long step, NDManager scope) {
        if (step % every != 0) {
            return;
        }
        recalibrate(step, scope);
    }

    /** Fresh observers, then Calibration on {@code batches} clean batches drawn for this step; each extra grid on the same batches. */
    public void recalibrate(long step, NDManager scope) {
        for (FakeQuantizer q : qm.quantizers()) {
            if (q.observer() != null) {
                q.observer().reset();
            }
        }
        int[][] pos = drawBatches(seed, step, batches, batchSize, calibration.size());
        Calibration.BatchSource source = (k, m) -> calibration.batch(pos[k], m, 0L).images();
        Calibration.run(qm, batches, source, scope, Progress.NONE);
        qm.disableAll();
        for (Map<String, FakeQuantizer> bank : grids.values()) {
            for (FakeQuantizer q : bank.values()) {
                q.observer().reset();
            }
            swapIn(bank);
            try {
                Calibration.observeActivations(qm.graph(), bank.values(), batches, source, scope, Progress.NONE);
                QuantStates.disableAll(bank.values());
            } finally {
                swapIn(qm.activationQuantizers());
            }
        }
    }

    /** Logits of the quantized network on x and on xt (quantizers on only for these two passes), the preset's own grid. */
    public NDArray[] forward(NDArray x, NDArray xt) {
        qm.enableQuantization();
        try {
            return new NDArray[] {qm.forward(x), qm.forward(xt)};
        } finally {
            qm.disableAll();
        }
    }

    /** Per grid ({@link #gridNames()} order), the logits on x and on xt with that grid's activation ranges. */
    public List<NDArray[]> forwardAllGrids(NDArray x, NDArray xt) {
        List<NDArray[]> out = new ArrayList<>();
        out.add(forward(x, xt));
        for (Map<String, FakeQuantizer> bank : grids.values()) {
            swapIn(bank);
            QuantStates.quantize(qm.weightQuantizers().values());
            QuantStates.quantize(bank.values());
            try {
                out.add(new NDArray[] {qm.forward(x), qm.forward(xt)});
            } finally {
                QuantStates.disableAll(bank.values());
                qm.disableAll();
                swapIn(qm.activationQuantizers());
            }
        }
        return out;
    }

    /** Positions of {@code batches} random batches of up to {@code batchSize} of {@code n} images, drawn for {@code step}. */
    static int[][] drawBatches(long seed, long step, int batches, int batchSize, int n) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed ^ (step * 0x9E3779B97F4A7C15L));
        int[][] pos = new int[batches][];
        for (int k = 0; k < batches; k++) {
            pos[k] = new int[Math.min(batchSize, n)];
            for (int i = 0; i < pos[k].length; i++) {
                pos[k][i] = r.nextInt(n);
            }
        }
        return pos;
    }

    private void swapIn(Map<String, FakeQuantizer> bank) {
        bank.forEach((node, q) -> ((ActivationQuantLayer) qm.graph().node(node).op()).setQuantizer(q));
    }

    /** MQBench Academic preparation options (io layers 8 bit). */
    public static PrepareOptions prepareOptions() {
        return PrepareOptions.ACADEMIC;
    }
}
