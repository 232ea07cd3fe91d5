package io.lac4j.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.lac4j.data.DataView;
import io.lac4j.engine.Progress;
import io.lac4j.quant.Calibration;
import io.lac4j.quant.FakeQuantizer;
import io.lac4j.quant.PrepareOptions;
import io.lac4j.quant.QuantPreset;
import io.lac4j.quant.QuantizedModel;

/**
 * A deployment quantizer added to an attack objective (FINDINGS.md §2, issue 9): MQBench-Academic
 * quantizers inserted into the training graph itself ({@link QuantizedModel#insertInto}, shared
 * weights), off except during its own forward passes, ranges recalibrated on clean training
 * batches every {@code every} steps (fresh observers, LAC.md §7 order: activations, then weights).
 * Must be inserted before {@link QuantHooks#install}.
 */
public final class ExtraQuantizer {
    private final QuantPreset preset;
    private final QuantizedModel qm;
    private final DataView calibration;
    private final int batches;
    private final int batchSize;
    private final int every;
    private final long seed;

    public ExtraQuantizer(QuantPreset preset, QuantizedModel qm, DataView calibration, int batches, int batchSize,
                          int every, long seed) {
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
        qm.disableAll();
    }

    public String name() {
        return preset.presetName();
    }

    public QuantPreset preset() {
        return preset;
    }

    /** Recalibrates at steps 0, every, 2·every, … */
    public void maybeRecalibrate(long step, NDManager scope) {
        if (step % every != 0) {
            return;
        }
        recalibrate(step, scope);
    }

    /** Fresh observers, then Calibration on {@code batches} clean batches drawn for this step. */
    public void recalibrate(long step, NDManager scope) {
        for (FakeQuantizer q : qm.quantizers()) {
            if (q.observer() != null) {
                q.observer().reset();
            }
        }
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed ^ (step * 0x9E3779B97F4A7C15L));
        int n = calibration.size();
        int[][] pos = new int[batches][];
        for (int k = 0; k < batches; k++) {
            pos[k] = new int[Math.min(batchSize, n)];
            for (int i = 0; i < pos[k].length; i++) {
                pos[k][i] = r.nextInt(n);
            }
        }
        Calibration.run(qm, batches, (k, m) -> calibration.batch(pos[k], m, 0L).images(), scope, Progress.NONE);
        qm.disableAll();
    }

    /** Logits of the quantized network on x and on xt (quantizers on only for these two passes). */
    public NDArray[] forward(NDArray x, NDArray xt) {
        qm.enableQuantization();
        try {
            return new NDArray[] {qm.forward(x), qm.forward(xt)};
        } finally {
            qm.disableAll();
        }
    }

    /** MQBench Academic preparation options (io layers 8 bit). */
    public static PrepareOptions prepareOptions() {
        return PrepareOptions.ACADEMIC;
    }
}
