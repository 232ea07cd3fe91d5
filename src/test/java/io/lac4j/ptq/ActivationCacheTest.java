package io.lac4j.ptq;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.lac4j.engine.Engines;
import io.lac4j.engine.Mt19937;
import io.lac4j.engine.Progress;
import io.lac4j.models.Arch;
import io.lac4j.models.ModelSpec;
import io.lac4j.models.ModelZoo;
import io.lac4j.nn.Graph;
import io.lac4j.quant.Calibration;
import io.lac4j.quant.PrepareOptions;
import io.lac4j.quant.QuantPreset;
import io.lac4j.quant.QuantizedModel;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The incremental cache gives, for every unit, exactly what the reference computes with whole-
 * model forwards: inputs from the quantized model with all earlier units hardened, targets from
 * the FP model (LAC.md §8.3).
 */
class ActivationCacheTest {
    @Test
    void incrementalValuesEqualFreshForwards() {
        try (NDManager m = Engines.newBaseManager();
             Graph fp = ModelZoo.build(ModelSpec.of(Arch.RESNET18_CIFAR, 1, 10, 2), m)) {
            for (Map.Entry<String, NDArray> e : fp.stateDict().entrySet()) {
                if (e.getKey().endsWith("weight") || e.getKey().endsWith("bias")) {
                    fp.assign(e.getKey(), m.randomNormal(0, 0.3f, e.getValue().getShape(), e.getValue().getDataType()));
                }
            }
            fp.setTraining(false);
            List<NDArray> images = List.of(m.randomNormal(new Shape(3, 1, 28, 28)), m.randomNormal(new Shape(3, 1, 28, 28)));
            try (QuantizedModel qm = QuantizedModel.prepare(fp, QuantPreset.ACADEMIC_W4A4.config(), PrepareOptions.ACADEMIC, m);
                 ActivationCache cache = new ActivationCache(qm.graph(), fp, images, m)) {
                Calibration.run(qm, images.size(), (k, mgr) -> images.get(k), m, Progress.NONE);
                Mt19937 rng = new Mt19937(1005);
                int u = 0;
                for (ReconstructionUnit unit : UnitExtractor.layers(qm)) {
                    String producer = qm.isActivationQuantizer(unit.input()) ? qm.producerOf(unit.input()) : unit.input();
                    List<NDArray> fpInputs = null;
                    if (u++ % 2 == 0) {   // QDrop's variant on every other unit: also the FP input
                        fpInputs = cache.advanceToWithFpInputs(unit, producer, m);
                    } else {
                        cache.advanceTo(unit);
                    }
                    for (int k = 0; k < images.size(); k++) {
                        if (fpInputs != null) {
                            NDArray fpIn = fp.forward(images.get(k), Set.of(producer), producer).get(producer);
                            assertThat(fpInputs.get(k).toFloatArray()).as(unit.name() + " FP input").containsExactly(fpIn.toFloatArray());
                        }
                        NDArray fresh = qm.graph().forward(images.get(k), Set.of(unit.input()), unit.input()).get(unit.input());
                        NDArray target = fp.forward(images.get(k), Set.of(unit.fpTarget()), unit.fpTarget()).get(unit.fpTarget());
                        assertThat(cache.inputs(unit).get(k).toFloatArray()).as(unit.name() + " input").containsExactly(fresh.toFloatArray());
                        assertThat(cache.targets(unit).get(k).toFloatArray()).as(unit.name() + " target").containsExactly(target.toFloatArray());
                    }
                    try (NDManager unitScope = m.newSubManager()) {   // change the unit's weights, as LAC does
                        UnitReconstruction.optimize(qm, unit, cache.inputs(unit), cache.targets(unit),
                                ReconstructionConfig.REFERENCE.withMaxCount(3).withWeightLr(0.05), rng, unitScope, Progress.NONE);
                        UnitReconstruction.harden(qm, unit);
                    }
                }
            }
        }
    }
}
