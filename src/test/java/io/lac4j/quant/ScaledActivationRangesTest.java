package io.lac4j.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.lac4j.engine.Engines;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which quantizers a range sweep moves, by exactly how much, and that closing restores them. */
class ScaledActivationRangesTest {
    private static final QScheme A4 = QScheme.asymmetric(4, Granularity.PER_TENSOR);
    private static final QScheme W4 = QScheme.asymmetric(4, Granularity.PER_CHANNEL);

    private static List<FakeQuantizer> model() {
        FixedFakeQuantizer act = new FixedFakeQuantizer(QuantizerRole.ACTIVATION, A4, Observer.Kind.MIN_MAX);
        act.setQParams(QParams.perTensor(0.25f, 3));
        FixedFakeQuantizer weightPerTensor = new FixedFakeQuantizer(QuantizerRole.WEIGHT, A4, Observer.Kind.MIN_MAX);
        weightPerTensor.setQParams(QParams.perTensor(0.125f, 8));
        FixedFakeQuantizer weight = new FixedFakeQuantizer(QuantizerRole.WEIGHT, W4, Observer.Kind.MIN_MAX);
        weight.setQParams(new QParams(new float[] {0.1f, 0.2f}, new int[] {8, 8}, 0));
        FixedFakeQuantizer act2 = new FixedFakeQuantizer(QuantizerRole.ACTIVATION, A4, Observer.Kind.MIN_MAX);
        act2.setQParams(QParams.perTensor(0.5f, 0));
        return List.of(act, weightPerTensor, weight, act2);
    }

    @Test
    void scalesOnlyPerTensorActivationScalesAndRestoresThemExactly() {
        List<FakeQuantizer> qs = model();
        List<QParams> before = qs.stream().map(FakeQuantizer::qparams).toList();
        try (ScaledActivationRanges s = ScaledActivationRanges.of(qs, 0.9)) {
            assertThat(s.size()).isEqualTo(2);
            assertThat(qs.get(0).qparams()).isEqualTo(QParams.perTensor((float) (0.25f * 0.9), 3));
            assertThat(qs.get(3).qparams()).isEqualTo(QParams.perTensor((float) (0.5f * 0.9), 0));
            assertThat(qs.get(1).qparams()).as("weights untouched").isEqualTo(before.get(1));
            assertThat(qs.get(2).qparams()).isEqualTo(before.get(2));
        }
        assertThat(qs.stream().map(FakeQuantizer::qparams).toList()).isEqualTo(before);
    }

    @Test
    void theQuantizedOutputFollowsTheScaledGrid() {
        List<FakeQuantizer> qs = model();
        FakeQuantizer act = qs.get(0);
        act.setState(false, true);
        try (NDManager m = Engines.newBaseManager()) {
            NDArray x = m.create(new float[] {0.1f, 1.0f, 2.0f, 3.5f}, new Shape(1, 4));
            float[] calibrated = act.apply(x).toFloatArray();
            float[] wider;
            try (ScaledActivationRanges s = ScaledActivationRanges.of(qs, 1.5)) {
                wider = act.apply(x).toFloatArray();
            }
            // s = 0.25, z = 3: the grid tops out at (15 - 3)·0.25 = 3.0; at 1.5× it reaches 4.5, so 3.5 is no longer clipped
            assertThat(calibrated[3]).isEqualTo(3.0f);
            assertThat(wider[3]).isEqualTo(3.375f);
            assertThat(act.apply(x).toFloatArray()).containsExactly(calibrated);
        }
    }

    @Test
    void aFactorOutsideTheRangeIsRefused() {
        List<FakeQuantizer> qs = model();
        assertThatThrownBy(() -> ScaledActivationRanges.of(qs, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("activation range factor");
        assertThatThrownBy(() -> ScaledActivationRanges.of(qs, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThat(qs.get(0).qparams()).isEqualTo(QParams.perTensor(0.25f, 3));
    }
}
