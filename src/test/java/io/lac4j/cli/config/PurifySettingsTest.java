package io.lac4j.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lac4j.InputException;
import io.lac4j.pipeline.PurifyRequest;
import io.lac4j.ptq.Pattern;
import io.lac4j.ptq.ReconstructionConfig;
import io.lac4j.quant.Observer;
import io.lac4j.quant.QuantizerKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class PurifySettingsTest {
    private static PurifyRequest request(List<String> overrides) throws Exception {
        var r = ConfigLoader.load(ConfigLoaderTest.referenceYaml(), overrides);
        return PurifySettings.toRequest(r, null, false);
    }

    @Test
    void faithfulMethodKeepsTheReferenceSettings() throws Exception {
        PurifyRequest req = request(List.of("template=qu_fmnist_fp"));
        assertThat(req.method()).isEqualTo("lac");
        assertThat(req.quant().activationQuantizer()).isEqualTo(QuantizerKind.FIXED);
        assertThat(req.reconstruction().pattern()).isEqualTo(Pattern.LAYER);
        assertThat(req.reconstruction().learnActScale()).isFalse();
        assertThat(req.reconstruction().scaleLr()).isEqualTo(4e-5);
    }

    @Test
    void lacActReplacesTheReferenceYamlsFaithfulValues() throws Exception {
        PurifyRequest req = request(List.of("template=qu_fmnist_fp", "method=lac-act"));
        assertThat(req.method()).isEqualTo("lac-act");
        assertThat(req.quant().activationObserver()).isEqualTo(Observer.Kind.MIN_MAX);
        assertThat(req.quant().weightObserver()).isEqualTo(Observer.Kind.MSE);
        ReconstructionConfig faithful = request(List.of("template=qu_fmnist_fp")).reconstruction();
        assertThat(faithful.bnLr()).isZero();
        assertThat(req.reconstruction().bnLr()).isEqualTo(0.001);
        assertThat(req.reconstruction().pattern()).isEqualTo(faithful.pattern());
        assertThat(req.reconstruction().maxCount()).isEqualTo(faithful.maxCount());
        assertThat(req.reconstruction().learnActScale()).isFalse();
        assertThat(PurifySettings.nonDefault(ConfigLoader.load(ConfigLoaderTest.referenceYaml(),
                List.of("template=qu_fmnist_fp", "method=lac-act")))).containsKeys("method",
                "extra_prepare_dict.extra_qconfig_dict.a_observer");
    }

    @Test
    void commandLineOverridesBeatTheLacActPreset() throws Exception {
        PurifyRequest req = request(List.of("template=qu_fmnist_fp", "method=lac-act",
                "extra_prepare_dict.extra_qconfig_dict.a_observer=EMAMinMaxObserver", "quantize.reconstruction.pattern=block"));
        assertThat(req.quant().activationObserver()).isEqualTo(Observer.Kind.EMA_MIN_MAX);
        assertThat(req.reconstruction().pattern()).isEqualTo(Pattern.BLOCK);
    }

    @Test
    void perModuleActivationObserversReachThePrepareOptions() throws Exception {
        PurifyRequest req = request(List.of("template=qu_fmnist_fp",
                "quantize.a_observer_by_module={layer4: MinMaxObserver, layer3: EMAMinMaxObserver}"));
        assertThat(req.prepare().activationObservers())
                .containsEntry("layer4", Observer.Kind.MIN_MAX)
                .containsEntry("layer3", Observer.Kind.EMA_MIN_MAX)
                .hasSize(2);
        assertThat(req.quant().activationObserver()).isEqualTo(Observer.Kind.EMA_MSE);
        assertThat(request(List.of("template=qu_fmnist_fp")).prepare().activationObservers()).isEmpty();
    }

    @Test
    void aBadPerModuleObserverNamesTheKeyAndModule() {
        assertThatThrownBy(() -> request(List.of("template=qu_fmnist_fp", "quantize.a_observer_by_module={layer4: MinMax}")))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("quantize.a_observer_by_module.layer4")
                .hasMessageContaining("MinMax");
        assertThatThrownBy(() -> request(List.of("template=qu_fmnist_fp", "quantize.a_observer_by_module=MinMaxObserver")))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("quantize.a_observer_by_module");
    }

    @Test
    void unknownMethodsAreRefusedByName() {
        assertThatThrownBy(() -> request(List.of("template=qu_fmnist_fp", "method=lacc")))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("key 'method'")
                .hasMessageContaining("lac-act")
                .hasMessageContaining("lacc");
    }

    @Test
    void lac4jReconstructionKeysReachTheRequest() throws Exception {
        PurifyRequest req = request(List.of("template=qu_fmnist_fp", "quantize.reconstruction.weight_lr=0.0005",
                "quantize.reconstruction.weight_lr_schedule=cosine", "quantize.reconstruction.bn_lr=0.001",
                "quantize.reconstruction.act_recalibrate=True", "quantize.reconstruction.pattern=layer_in"));
        assertThat(req.reconstruction().weightLr()).isEqualTo(5e-4);
        assertThat(req.reconstruction().weightLrCosine()).isTrue();
        assertThat(req.reconstruction().bnLr()).isEqualTo(1e-3);
        assertThat(req.reconstruction().actRecalibrate()).isTrue();
        assertThat(req.reconstruction().pattern()).isEqualTo(Pattern.LAYER_IN);
        assertThatThrownBy(() -> request(List.of("template=qu_fmnist_fp", "quantize.reconstruction.weight_lr_schedule=step")))
                .isInstanceOf(InputException.class).hasMessageContaining("weight_lr_schedule").hasMessageContaining("cosine");
    }
}
