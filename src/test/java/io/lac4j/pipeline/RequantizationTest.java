package io.lac4j.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lac4j.quant.FakeQuantizer;
import io.lac4j.quant.FixedFakeQuantizer;
import io.lac4j.quant.Granularity;
import io.lac4j.quant.Observer;
import io.lac4j.quant.QParams;
import io.lac4j.quant.QScheme;
import io.lac4j.quant.QuantizerRole;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The scale ratios the requantization check reports: which quantizers count, in which direction, sorted. */
class RequantizationTest {
    private static final QScheme A4 = QScheme.asymmetric(4, Granularity.PER_TENSOR);
    private static final Path FILE = Path.of("purified.pth");

    private static FakeQuantizer act(float scale) {
        FixedFakeQuantizer q = new FixedFakeQuantizer(QuantizerRole.ACTIVATION, A4, Observer.Kind.MIN_MAX);
        q.setQParams(QParams.perTensor(scale, 0));
        return q;
    }

    @Test
    void ratiosAreRequantizedOverDefendedSortedWithTheirMedian() {
        Map<String, FakeQuantizer> defended = new LinkedHashMap<>();
        Map<String, FakeQuantizer> again = new LinkedHashMap<>();
        defended.put("a", act(0.5f));
        again.put("a", act(0.45f));
        defended.put("b", act(0.25f));
        again.put("b", act(0.25f));
        defended.put("c", act(1.0f));
        again.put("c", act(0.8f));
        List<Double> r = Requantization.scaleRatios(again, defended, FILE);
        assertThat(r).hasSize(3);
        assertThat(r.get(0)).isCloseTo(0.8, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(r.get(2)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(Requantization.median(r)).isCloseTo(0.9, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(Requantization.median(List.of(0.8, 0.9, 1.0, 1.2))).isCloseTo(0.95, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void aQuantizerMissingFromTheRequantizedModelIsNamed() {
        assertThatThrownBy(() -> Requantization.scaleRatios(Map.of(), Map.of("layer1.0.relu_post_act_fake_quantizer", act(1f)), FILE))
                .hasMessageContaining("purified.pth").hasMessageContaining("layer1.0.relu_post_act_fake_quantizer");
    }
}
