package io.lac4j.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lac4j.InputException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class QSchemeTest {

    @ParameterizedTest(name = "{0}-bit sym={1} {2} -> [{3}, {4}]")
    @CsvSource({
        "4, false, FULL, 0, 15", "8, false, FULL, 0, 255", "2, false, FULL, 0, 3",
        "4, true, FULL, -8, 7", "8, true, FULL, -128, 127", "2, true, FULL, -2, 1",
        "8, true, SYMMETRIC, -127, 127", "4, true, SYMMETRIC, -7, 7", "4, false, SYMMETRIC, 0, 15",
        "8, false, REDUCED, 0, 127", "8, true, REDUCED, -64, 63", "4, false, REDUCED, 0, 7"})
    void integerRanges(int bits, boolean sym, QuantRange range, int qmin, int qmax) {
        QScheme s = new QScheme(bits, sym, Granularity.PER_TENSOR, -1, false, range, Rounding.HALF_EVEN);
        assertThat(s.qmin()).isEqualTo(qmin);
        assertThat(s.qmax()).isEqualTo(qmax);
        assertThat(s.enabled()).isTrue();
    }

    @Test
    void validationAndOff() {
        assertThatThrownBy(() -> QScheme.asymmetric(9, Granularity.PER_TENSOR)).hasMessageContaining("bit: expected 2..8");
        assertThatThrownBy(() -> QScheme.asymmetric(1, Granularity.PER_TENSOR)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new QScheme(4, false, Granularity.PER_CHANNEL, -1, false, QuantRange.FULL, Rounding.HALF_EVEN))
                .hasMessageContaining("ch_axis");
        assertThat(QScheme.off().enabled()).isFalse();
        assertThat(QScheme.asymmetric(16, Granularity.PER_TENSOR).enabled()).isFalse();
        QScheme w = QScheme.asymmetric(4, Granularity.PER_CHANNEL);
        assertThat(w.channelAxis()).isZero();
        assertThat(w.withBits(8).qmax()).isEqualTo(255);
        assertThat(w.withBits(8).perChannel()).isTrue();
        assertThat(w.perTensor().channelAxis()).isEqualTo(-1);
        assertThat(w.toString()).contains("4-bit asymmetric per-channel(axis 0) [0, 15]");
    }

    @Test
    void presetsByName() {
        QuantConfig a44 = QuantPreset.byName("academic-w4a4", "--quant").config();
        assertThat(a44.weight()).isEqualTo(QScheme.asymmetric(4, Granularity.PER_CHANNEL));
        assertThat(a44.activation()).isEqualTo(QScheme.asymmetric(4, Granularity.PER_TENSOR));
        assertThat(a44.weightObserver()).isEqualTo(Observer.Kind.MSE);
        assertThat(a44.activationObserver()).isEqualTo(Observer.Kind.EMA_MSE);
        assertThat(a44.newWeightQuantizer()).isInstanceOf(LearnedOffsetQuantizer.class);
        assertThat(a44.newActivationQuantizer()).isInstanceOf(FixedFakeQuantizer.class);
        assertThat(a44.newWeightQuantizer(8).scheme().qmax()).isEqualTo(255);
        assertThat(a44.newWeightQuantizer().observer()).isInstanceOf(MseObserver.class);
        assertThat(a44.newActivationQuantizer().observer()).isInstanceOf(EmaMseObserver.class);

        assertThat(QuantPreset.byName("academic-w8a8", "x").config().weight().bits()).isEqualTo(8);
        assertThat(QuantPreset.byName("academic-w4", "x").config().activation().enabled()).isFalse();
        assertThat(QuantPreset.byName("academic-a4", "x").config().weight().enabled()).isFalse();
        assertThat(QuantPreset.byName("academic-a4", "x").config().activation().bits()).isEqualTo(4);

        QuantConfig fb = QuantPreset.byName("fbgemm-int8", "x").config();
        assertThat(fb.weight().qmin()).isEqualTo(-128);
        assertThat(fb.weight().perChannel()).isTrue();
        assertThat(fb.activation().qmax()).isEqualTo(127);
        QuantConfig qn = QuantPreset.byName("qnnpack-int8", "x").config();
        assertThat(qn.weight().perChannel()).isFalse();
        assertThat(qn.activation().qmax()).isEqualTo(255);

        QuantConfig qa = QuantPreset.byName("qu-anti-zation", "x").config();
        assertThat(qa.newWeightQuantizer()).isInstanceOf(QuAntiZationQuantizer.class);
        assertThat(qa.withBits(4, 4).newActivationQuantizer().scheme().qmax()).isEqualTo(15);
        assertThat(qa.weight().rounding()).isEqualTo(Rounding.HALF_UP);

        assertThatThrownBy(() -> QuantPreset.byName("academic-w4a8", "run.yaml: key 'quant'"))
                .isInstanceOf(InputException.class)
                .hasMessage("run.yaml: key 'quant': expected one of [academic-w4a4, academic-w8a8, academic-w4, academic-a4, "
                        + "fbgemm-int8, qnnpack-int8, qu-anti-zation], got 'academic-w4a8'");
    }

    @Test
    void mqbenchConfigNames() {
        assertThat(Observer.Kind.fromConfigName("EMAMSEObserver", "x")).isEqualTo(Observer.Kind.EMA_MSE);
        assertThat(Observer.Kind.fromConfigName("MSEObserver", "x")).isEqualTo(Observer.Kind.MSE);
        assertThat(Observer.Kind.fromConfigName("MinMaxObserver", "x")).isEqualTo(Observer.Kind.MIN_MAX);
        assertThat(Observer.Kind.fromConfigName("EMAMinMaxObserver", "x")).isEqualTo(Observer.Kind.EMA_MIN_MAX);
        assertThatThrownBy(() -> Observer.Kind.fromConfigName("MinMax",
                "r18_4_4.yaml: key 'extra_prepare_dict.extra_qconfig_dict.w_observer'"))
                .isInstanceOf(InputException.class)
                .hasMessage("r18_4_4.yaml: key 'extra_prepare_dict.extra_qconfig_dict.w_observer': expected one of "
                        + "[MinMaxObserver, EMAMinMaxObserver, MSEObserver, EMAMSEObserver], got 'MinMax'");
        assertThat(QuantizerKind.fromConfigName("AdaRoundFakeQuantize", "x")).isEqualTo(QuantizerKind.LAC_ADAROUND);
        assertThat(QuantizerKind.fromConfigName("FixedFakeQuantize", "x")).isEqualTo(QuantizerKind.FIXED);
        assertThat(QuantizerKind.fromConfigName("LearnableFakeQuantize", "x")).isEqualTo(QuantizerKind.LEARNABLE);
        assertThatThrownBy(() -> QuantizerKind.fromConfigName("FixedFakeQuant", "y.yaml: key 'a_fakequantize'"))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith("y.yaml: key 'a_fakequantize': expected one of [FixedFakeQuantize, AdaRoundFakeQuantize,")
                .hasMessageEndingWith("got 'FixedFakeQuant'");
        assertThatThrownBy(() -> QuantPreset.ACADEMIC_W4A4.config().withKinds(Observer.Kind.MSE, Observer.Kind.EMA_MSE,
                QuantizerKind.LAC_ADAROUND, QuantizerKind.LAC_ADAROUND)).hasMessageContaining("a_fakequantize");
    }
}
