package io.lac4j.defense;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.lac4j.data.CalibrationList;
import io.lac4j.engine.Engines;
import io.lac4j.engine.Progress;
import io.lac4j.nn.BatchNorm2d;
import io.lac4j.nn.Graph;
import io.lac4j.nn.Node;
import io.lac4j.quant.Calibration;
import io.lac4j.quant.Observer;
import io.lac4j.quant.PrepareOptions;
import io.lac4j.quant.QuantConfig;
import io.lac4j.quant.QuantPreset;
import io.lac4j.quant.QuantizedModel;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code qad-reset-regrid}'s grid change: every range on EMA-MinMax, and the BatchNorms before the reset stage
 * normalising what the quantized layers feed them. The stem's BatchNorm, whose input no recalibrated range moves, holds
 * exactly the statistics of its quantized input (not of its FP input); every other BatchNorm before the stage changed,
 * those of the stage did not; and the ranges are the ones a calibration of the changed network sets.
 */
class BatchNormStatisticsTest {
    @Test
    void regridKeepsTheDeploymentButItsActivationObserver() {
        QuantConfig academic = QuantPreset.ACADEMIC_W4A4.config();
        QuantConfig regrid = new ResetDistillation(ResetDistillation.Grid.REGRID).quantizer(academic);
        assertThat(regrid.activationObserver()).isEqualTo(Observer.Kind.EMA_MIN_MAX).isNotEqualTo(academic.activationObserver());
        assertThat(regrid.weightObserver()).isEqualTo(academic.weightObserver());
        assertThat(regrid.weightQuantizer()).isEqualTo(academic.weightQuantizer());
        assertThat(regrid.activationQuantizer()).isEqualTo(academic.activationQuantizer());
        assertThat(new ResetDistillation().quantizer(academic)).as("qad-reset keeps the deployment's").isSameAs(academic);
        assertThat(Defenses.byName("qad-reset-regrid", "test").phase()).isEqualTo("qad_reset_regrid");
    }

    @Test
    void frozenBatchNormsNormaliseTheQuantizedInputAndTheRangesFollow() {
        try (NDManager m = Engines.newBaseManager(); Graph fp = FrozenPrefixCacheTest.randomised(m)) {
            CalibrationList act = FrozenPrefixCacheTest.activationList();
            QuantConfig regrid = new ResetDistillation(ResetDistillation.Grid.REGRID).quantizer(QuantPreset.ACADEMIC_W4A4.config());
            try (QuantizedModel qm = QuantizedModel.prepare(fp, regrid, PrepareOptions.ACADEMIC, m)) {
                Calibration.run(qm, act.size(), act::batch, m, Progress.NONE);
                Graph g = qm.graph();
                List<Node> stage = LastStageReset.nodes(g, "layer4");
                Map<String, float[]> before = statistics(g);
                float[] fpMean = inputMean(qm, g.node("bn1"), act, false, m);

                BatchNormStatistics.remeasureQuantized(qm, stage, act, FrozenPrefixCacheTest.context(m, new HashMap<>()));

                Map<String, float[]> after = statistics(g);
                before.forEach((name, stats) -> {
                    boolean inStage = stage.stream().anyMatch(n -> n.name().equals(name));
                    if (inStage) {
                        assertThat(after.get(name)).as("%s belongs to the reset stage", name).containsExactly(stats);
                    } else {
                        assertThat(after.get(name)).as("%s is measured again", name).isNotEqualTo(stats);
                    }
                });
                BatchNorm2d bn1 = (BatchNorm2d) g.node("bn1").op();
                float[] quantizedMean = inputMean(qm, g.node("bn1"), act, true, m);
                float[] running = bn1.runningMean().toFloatArray();
                for (int c = 0; c < running.length; c++) {
                    assertThat(running[c]).as("channel %d", c)
                            .isCloseTo(quantizedMean[c], org.assertj.core.api.Assertions.within(1e-5f + 1e-5f * Math.abs(quantizedMean[c])));
                }
                assertThat(maxDifference(quantizedMean, fpMean)).as("4-bit stem weights move the mean").isGreaterThan(1e-4f);
                List<String> ranges = FrozenPrefixCacheTest.ranges(qm);
                Distillation.recalibrate(qm, act, act.size(), FrozenPrefixCacheTest.context(m, new HashMap<>()));
                assertThat(ranges).as("calibrated after the statistics changed").isEqualTo(FrozenPrefixCacheTest.ranges(qm));
            }
        }
    }

    private static Map<String, float[]> statistics(Graph g) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Node n : g.nodes()) {
            if (n.isBatchNorm()) {
                BatchNorm2d bn = (BatchNorm2d) n.op();
                float[] mean = bn.runningMean().toFloatArray();
                float[] var = bn.runningVar().toFloatArray();
                float[] both = new float[mean.length + var.length];
                System.arraycopy(mean, 0, both, 0, mean.length);
                System.arraycopy(var, 0, both, mean.length, var.length);
                out.put(n.name(), both);
            }
        }
        return out;
    }

    /** Channel mean of {@code bn}'s input over every batch of {@code act}, quantizers on or off. */
    private static float[] inputMean(QuantizedModel qm, Node bn, CalibrationList act, boolean quantized, NDManager m) {
        if (quantized) {
            qm.enableQuantization();
        } else {
            qm.disableAll();
        }
        String input = bn.inputs().get(0);
        double[] sum = null;
        long count = 0;
        for (int k = 0; k < act.size(); k++) {
            try (NDManager s = m.newSubManager()) {
                NDArray x = qm.graph().forward(act.batch(k, s), Set.of(input), bn.name()).get(input);
                float[] part = x.sum(new int[] {0, 2, 3}).toFloatArray();
                sum = sum == null ? new double[part.length] : sum;
                for (int c = 0; c < part.length; c++) {
                    sum[c] += part[c];
                }
                count += x.size() / part.length;
            }
        }
        qm.enableQuantization();
        float[] mean = new float[sum.length];
        for (int c = 0; c < mean.length; c++) {
            mean[c] = (float) (sum[c] / count);
        }
        return mean;
    }

    private static float maxDifference(float[] a, float[] b) {
        float d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }
}
