package io.lac4j.quant;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import io.lac4j.engine.Engines;
import io.lac4j.models.Arch;
import io.lac4j.models.ModelSpec;
import io.lac4j.models.ModelZoo;
import io.lac4j.nn.Graph;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ActivationObserverOverrideTest {

    @Test
    void theLongestDottedPrefixWinsAndNamesAreNotMatchedHalfway() {
        PrepareOptions po = PrepareOptions.ACADEMIC.withActivationObservers(
                Map.of("layer4", Observer.Kind.MIN_MAX, "layer4.1", Observer.Kind.EMA_MIN_MAX));
        assertThat(po.activationObserverFor("layer4.0.relu", Observer.Kind.EMA_MSE)).isEqualTo(Observer.Kind.MIN_MAX);
        assertThat(po.activationObserverFor("layer4.1.relu", Observer.Kind.EMA_MSE)).isEqualTo(Observer.Kind.EMA_MIN_MAX);
        assertThat(po.activationObserverFor("layer4", Observer.Kind.EMA_MSE)).isEqualTo(Observer.Kind.MIN_MAX);
        assertThat(po.activationObserverFor("layer40.relu", Observer.Kind.EMA_MSE)).isEqualTo(Observer.Kind.EMA_MSE);
        assertThat(po.activationObserverFor("layer3.1.relu", Observer.Kind.EMA_MSE)).isEqualTo(Observer.Kind.EMA_MSE);
    }

    @Test
    void prepareGivesOnlyTheNamedModulesTheOverridingObserver() {
        PrepareOptions po = PrepareOptions.ACADEMIC.withActivationObservers(Map.of("layer4", Observer.Kind.MIN_MAX));
        try (NDManager m = Engines.newBaseManager(); Graph fp = ModelZoo.build(ModelSpec.of(Arch.RESNET18_CIFAR, 1, 10, 4), m);
             QuantizedModel qm = QuantizedModel.prepare(fp, QuantPreset.ACADEMIC_W4A4.config(), po, m)) {
            int overridden = 0;
            for (Map.Entry<String, FakeQuantizer> e : qm.activationQuantizers().entrySet()) {
                boolean deep = qm.producerOf(e.getKey()).startsWith("layer4.");
                assertThat(e.getValue().observer().kind()).as(e.getKey())
                        .isEqualTo(deep ? Observer.Kind.MIN_MAX : Observer.Kind.EMA_MSE);
                overridden += deep ? 1 : 0;
            }
            assertThat(overridden).isGreaterThan(0);
        }
    }
}
