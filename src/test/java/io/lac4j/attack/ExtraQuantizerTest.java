package io.lac4j.attack;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.lac4j.data.DataView;
import io.lac4j.data.InMemoryDataset;
import io.lac4j.data.Normalization;
import io.lac4j.data.Preprocessing;
import io.lac4j.engine.Engines;
import io.lac4j.engine.Progress;
import io.lac4j.models.Arch;
import io.lac4j.models.ModelSpec;
import io.lac4j.models.ModelZoo;
import io.lac4j.nn.Graph;
import io.lac4j.quant.Calibration;
import io.lac4j.quant.Observer;
import io.lac4j.quant.PrepareOptions;
import io.lac4j.quant.QuantConfig;
import io.lac4j.quant.QuantPreset;
import io.lac4j.quant.QuantizedModel;
import io.lac4j.quant.QuantizerKind;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The multi-grid extra quantizer: each extra activation grid computes exactly what a model prepared
 * and calibrated with that observer computes, the preset's own grid is unchanged, and afterwards the
 * shared graph is the FP network again.
 */
class ExtraQuantizerTest {
    @Test
    void eachActivationGridIsTheModelCalibratedWithThatObserver() {
        Engines.start();
        try (NDManager m = Engines.newBaseManager()) {
            Graph fp = ModelZoo.build(ModelSpec.of(Arch.RESNET18_CIFAR, 1, 10, 2), m);
            Initialization.pytorchDefault(fp, 7);
            fp.setTraining(false);
            // every calibration image is the same one, so any batch the quantizer draws is the batch the references see
            byte[] one = new byte[28 * 28];
            new SplittableRandom(3).nextBytes(one);
            int n = 16;
            byte[] pixels = new byte[n * one.length];
            for (int i = 0; i < n; i++) {
                System.arraycopy(one, 0, pixels, i * one.length, one.length);
            }
            InMemoryDataset ds = new InMemoryDataset("same", 1, 28, 28, 10, pixels, new int[n]);
            DataView view = DataView.of("same", ds, IntStream.range(0, n).toArray(), new int[n],
                    Preprocessing.test(Normalization.identity(1)));
            Graph g = fp.copy(m);
            QuantPreset preset = QuantPreset.ACADEMIC_W4A4;
            QuantizedModel qm = QuantizedModel.insertInto(g, preset.config(), PrepareOptions.ACADEMIC);
            ExtraQuantizer extra = new ExtraQuantizer(preset, qm, view, 2, 8, 1, 5,
                    List.of(Observer.Kind.EMA_MSE, Observer.Kind.MIN_MAX));
            assertThat(extra.gridNames()).containsExactly("EMAMSEObserver", "MinMaxObserver");
            extra.recalibrate(0, m);

            NDArray x = m.randomNormal(new Shape(3, 1, 28, 28));
            NDArray xt = x.add(1f);
            List<NDArray[]> grids = extra.forwardAllGrids(x, xt);
            assertThat(grids).hasSize(2);
            QuantConfig own = preset.config();
            QuantConfig minMax = own.withKinds(own.weightObserver(), Observer.Kind.MIN_MAX, QuantizerKind.LAC_ADAROUND,
                    QuantizerKind.FIXED);
            float[] emaMse = reference(fp, own, view, m).forward(x).toFloatArray();
            float[] mm = reference(fp, minMax, view, m).forward(x).toFloatArray();
            assertThat(grids.get(0)[0].toFloatArray()).containsExactly(emaMse);
            assertThat(grids.get(1)[0].toFloatArray()).containsExactly(mm);
            assertThat(mm).isNotEqualTo(emaMse);
            assertThat(extra.forward(x, xt)[1].toFloatArray()).containsExactly(grids.get(0)[1].toFloatArray());
            // the shared graph is the FP network again, with the preset's own quantizers in place
            assertThat(g.forward(x).toFloatArray()).containsExactly(fp.forward(x).toFloatArray());
            qm.activationQuantizers().forEach((node, q) ->
                    assertThat(((io.lac4j.quant.ActivationQuantLayer) g.node(node).op()).quantizer()).isSameAs(q));
        }
    }

    private static QuantizedModel reference(Graph fp, QuantConfig config, DataView view, NDManager m) {
        QuantizedModel ref = QuantizedModel.prepare(fp, config, PrepareOptions.ACADEMIC, m);
        int[] pos = IntStream.range(0, 8).toArray();
        Calibration.run(ref, 2, (k, s) -> view.batch(pos, s, 0L).images(), m, Progress.NONE);
        return ref;
    }
}
