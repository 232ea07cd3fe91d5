package io.lac4j.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.lac4j.data.DataView;
import io.lac4j.engine.Mt19937;
import io.lac4j.engine.Progress;
import io.lac4j.nn.Graph;
import io.lac4j.nn.Node;
import io.lac4j.ptq.LacReconstruction;
import io.lac4j.ptq.PdaConfig;
import io.lac4j.ptq.ReconstructionConfig;
import io.lac4j.quant.Calibration;
import io.lac4j.quant.FakeQuantizer;
import io.lac4j.quant.PrepareOptions;
import io.lac4j.quant.QuantPreset;
import io.lac4j.quant.QuantizedModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The defender inside the attacker's loop (the defense-aware adaptive attack, issue 20). Every
 * {@code every} steps the current weights are copied into a scratch model, quantized and calibrated
 * as MQBench's Academic preset does and corrected by a short LAC reconstruction on the attacker's own
 * clean images. What LAC changed — {@code δ = corrected weight − weight} per layer — and the calibrated
 * ranges then define this simulated quantizer: each conv/linear quantizes its input with the
 * calibrated activation range and its weight as {@code FQ(w + δ)} with the straight-through gradient,
 * so the attack's backdoor term trains weights whose backdoor survives LAC's rounding correction.
 * (Per-layer input quantizers, as every simulated quantizer here; MQBench shares one per producer.)
 */
public final class DefenderSimulation implements SimulatedQuantizer {
    private final Function<NDManager, Graph> currentWeights;
    private final QuantPreset preset;
    private final DataView calibration;
    private final int batches;
    private final int every;
    private final int maxCount;
    private final long seed;
    private final NDManager owner;
    private NDManager held;
    private Map<String, NDArray> delta = Map.of();
    private Map<String, FakeQuantizer> weights = Map.of();
    private Map<String, FakeQuantizer> inputs = Map.of();
    private int refreshes;
    private double seconds;

    /**
     * @param currentWeights builds, in the manager given, an FP graph holding the training graph's current weights
     * @param maxCount LAC iterations per layer in each simulated purification
     * @param owner where δ lives between refreshes (closed by its owner)
     */
    public DefenderSimulation(Function<NDManager, Graph> currentWeights, QuantPreset preset, DataView calibration,
                              int batches, int every, int maxCount, long seed, NDManager owner) {
        if (every <= 0 || batches <= 0 || maxCount <= 0) {
            throw new IllegalArgumentException("--defense-aware: refresh every / calibration batches / LAC iterations must be > 0");
        }
        this.currentWeights = currentWeights;
        this.preset = preset;
        this.calibration = calibration;
        this.batches = batches;
        this.every = every;
        this.maxCount = maxCount;
        this.seed = seed;
        this.owner = owner;
    }

    @Override
    public String name() {
        return preset.presetName() + "+lac";
    }

    /** Simulated purifications so far and their wall time (the attack's extra cost). */
    public int refreshes() {
        return refreshes;
    }

    public double seconds() {
        return seconds;
    }

    public int maxCount() {
        return maxCount;
    }

    public int every() {
        return every;
    }

    /** Purifies the current weights again at steps 0, every, 2·every, … (and at the first step of a resumed run). */
    public void maybeRefresh(long step) {
        if (step % every == 0 || refreshes == 0) {
            refresh(step);
        }
    }

    /** One simulated purification of the current weights: calibrate, LAC, keep δ and the ranges. */
    public void refresh(long step) {
        long t0 = System.nanoTime();
        NDManager next = owner.newSubManager();
        Map<String, NDArray> d = new HashMap<>();
        Map<String, FakeQuantizer> wq = new HashMap<>();
        Map<String, FakeQuantizer> iq = new HashMap<>();
        try (NDManager work = owner.newSubManager()) {
            Graph fp = currentWeights.apply(work);
            fp.setTraining(false);
            QuantizedModel qm = QuantizedModel.prepare(fp, preset.config(), PrepareOptions.ACADEMIC, work);
            List<NDArray> images = new ArrayList<>();
            for (int[] pos : ExtraQuantizer.drawBatches(seed, step, batches, 32, calibration.size())) {
                images.add(calibration.batch(pos, work, 0L).images());
            }
            Calibration.run(qm, images.size(), (k, m) -> images.get(k), work, Progress.NONE);
            LacReconstruction.run(qm, fp, images, ReconstructionConfig.REFERENCE.withMaxCount(maxCount),
                    PdaConfig.REFERENCE_OFF, new Mt19937((seed + step) & 0xffffffffL), work, Progress.NONE, (i, u, rep) -> { }, 0);
            for (Node node : qm.graph().nodes()) {
                FakeQuantizer q = qm.weightQuantizers().get(node.name());
                if (q == null) {
                    continue;
                }
                NDArray hard = q.hardValue(node.weighted().weight());
                NDArray w0 = fp.node(node.name()).weighted().weight();
                NDArray change = hard.sub(w0);
                change.attach(next);
                d.put(node.name(), change);
                FakeQuantizer w = preset.config().newWeightQuantizer(q.scheme().bits());
                w.setQParams(q.qparams());
                w.setState(false, true);
                wq.put(node.name(), w);
                String in = node.inputs().get(0);
                if (qm.isActivationQuantizer(in)) {
                    FakeQuantizer a = qm.activationQuantizers().get(in);
                    FakeQuantizer copy = preset.config().newActivationQuantizer(a.scheme().bits());
                    copy.setQParams(a.qparams());
                    copy.setState(false, true);
                    iq.put(node.name(), copy);
                }
            }
        } catch (RuntimeException e) {
            next.close();
            throw e;
        }
        if (held != null) {
            held.close();
        }
        held = next;
        delta = d;
        weights = wq;
        inputs = iq;
        refreshes++;
        seconds += (System.nanoTime() - t0) / 1e9;
    }

    @Override
    public NDArray input(String node, NDArray x) {
        FakeQuantizer q = inputs.get(node);
        return q == null ? x : q.apply(x);
    }

    @Override
    public NDArray weight(String node, NDArray w, NDManager scope) {
        FakeQuantizer q = weights.get(node);
        NDArray d = delta.get(node);
        if (q == null || d == null) {
            throw new IllegalStateException("defender simulation: no purification of layer " + node + " yet (refresh first)");
        }
        return q.apply(w.add(d));    // lands in w's manager; δ stays where refresh put it (attaching it per pass would free it)
    }
}
