package io.lac4j.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lac4j.InputException;
import org.junit.jupiter.api.Test;

class DeploymentTest {
    @Test
    void academicIsTheReferenceConfigAtTheGivenBits() {
        QuantConfig c = Deployment.ACADEMIC.config(4);
        assertThat(c).isEqualTo(QuantPreset.ACADEMIC_W4A4.config());
        assertThat(Deployment.ACADEMIC.config(8)).isEqualTo(QuantPreset.ACADEMIC_W8A8.config());
        assertThat(Deployment.ACADEMIC.prepare()).isEqualTo(PrepareOptions.ACADEMIC);
        assertThat(Deployment.ACADEMIC.widths(4)).isEqualTo("W4A4");
    }

    @Test
    void fbgemmHasPerChannelSymmetricMinMaxWeightsAtTheBitsAndUint8ReducedActivationsOnEveryLayer() {
        QuantConfig c = Deployment.FBGEMM.config(4);
        assertThat(c.weight().symmetric()).isTrue();
        assertThat(c.weight().granularity()).isEqualTo(Granularity.PER_CHANNEL);
        assertThat(c.weight().qmin()).isEqualTo(-8);
        assertThat(c.weight().qmax()).isEqualTo(7);
        assertThat(c.activation().qmin()).isZero();
        assertThat(c.activation().qmax()).isEqualTo(127);                   // reduce_range
        assertThat(c.weightObserver()).isEqualTo(Observer.Kind.MIN_MAX);
        assertThat(c.activationObserver()).isEqualTo(Observer.Kind.MIN_MAX);
        assertThat(c.weightQuantizer()).isEqualTo(QuantizerKind.LAC_ADAROUND);   // nearest until reconstructed
        assertThat(Deployment.FBGEMM.prepare().ioEightBit()).isFalse();
        assertThat(Deployment.FBGEMM.widths(4)).isEqualTo("W4A8");
    }

    @Test
    void qnnpackIsPerTensor() {
        QuantConfig c = Deployment.QNNPACK.config(4);
        assertThat(c.weight().granularity()).isEqualTo(Granularity.PER_TENSOR);
        assertThat(c.weight().symmetric()).isTrue();
        assertThat(c.activation().qmax()).isEqualTo(255);
    }

    @Test
    void unknownNameListsTheChoices() {
        assertThatThrownBy(() -> Deployment.fromConfigName("tensorrt", "--deployment"))
                .isInstanceOf(InputException.class)
                .hasMessage("--deployment: expected one of [academic, fbgemm, qnnpack], got 'tensorrt'");
    }
}
