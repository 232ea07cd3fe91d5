package io.lac4j.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lac4j.InputException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {
    static Path referenceYaml() throws URISyntaxException {
        return Path.of(ConfigLoaderTest.class.getResource("/reference/r18_4_4.yaml").toURI());
    }

    @Test
    void readsTheReferenceYamlAsIsWithTheReadmeCommand() throws Exception {
        var r = ConfigLoader.load(referenceYaml(), List.of("template=pq_cifar_fp", "task_name=test", "pda=True"));
        ConfigTree t = r.tree();
        assertThat(t.get("pda")).isEqualTo(Boolean.TRUE);
        assertThat(t.integer("quantize.reconstruction.max_count", -1)).isEqualTo(10000);
        assertThat(t.number("quantize.reconstruction.pda_alpha", -1)).isEqualTo(0.001);
        assertThat(t.list("quantize.reconstruction.b_range")).containsExactly(20, 2);
        assertThat(t.string("extra_prepare_dict.extra_qconfig_dict.a_observer", null)).isEqualTo("EMAMSEObserver");
        assertThat(r.template().name()).isEqualTo("pq_cifar_fp");
        // templates own model/data facts, as in the reference; the YAML's author paths are reported
        assertThat(t.string("model.path", null)).isEqualTo("checkpoints/pq_cifar_ckpt.pth");
        assertThat(t.string("model.type", null)).isEqualTo("resnet18");
        assertThat(t.string("data.trigger", null)).isEqualTo("stage2");
        assertThat(r.notes()).anySatisfy(n -> assertThat(n).contains("r18_4_4.yaml: model.path").contains("ignored"));
        assertThat(t.origin("pda")).isEqualTo("command line");
        assertThat(t.origin("quantize.reconstruction.max_count")).isEqualTo("r18_4_4.yaml");
    }

    @Test
    void overridesLocationsAndHyperparameters() {
        var r = ConfigLoader.load(null, List.of("template=qu_fmnist_fp", "model.path=my.pth", "pda=True",
                "quantize.reconstruction.max_count=2000", "method=lac", "data.target=3"));
        ConfigTree t = r.tree();
        assertThat(t.string("model.path", null)).isEqualTo("my.pth");
        assertThat(t.integer("quantize.reconstruction.max_count", -1)).isEqualTo(2000);
        assertThat(t.string("method", null)).isEqualTo("lac");
        assertThat(t.integer("data.target", -1)).isEqualTo(3);
        assertThat(t.string("data.name", null)).isEqualTo("fmnist");
    }

    @Test
    void theYamlDefaultTemplateFailsClearly() throws Exception {
        Path yaml = referenceYaml();
        assertThatThrownBy(() -> ConfigLoader.load(yaml, List.of()))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("r18_4_4.yaml: key 'template'")
                .hasMessageContaining("qu_cifar_origin")
                .hasMessageContaining("ImportError");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of()))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("pass template=");
    }

    @Test
    void structModeNeedsPlusForNewKeysAndReportsThemUnused() {
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("template=qu_fmnist_fp", "quantize.reconstruction.maxcount=5")))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("use +quantize.reconstruction.maxcount=");
        var r = ConfigLoader.load(null, List.of("template=qu_fmnist_fp", "+extra.flag=1"));
        r.tree().get("template");
        assertThat(r.tree().unused()).contains("extra.flag");
    }

    @Test
    void parsesHydraValues() {
        assertThat(Overrides.parseValue("True")).isEqualTo(Boolean.TRUE);
        assertThat(Overrides.parseValue("false")).isEqualTo(Boolean.FALSE);
        assertThat(Overrides.parseValue("1e-3")).isEqualTo(1e-3);
        assertThat(Overrides.parseValue("42")).isEqualTo(42);
        assertThat(Overrides.parseValue("[20,2]")).isEqualTo(List.of(20, 2));
        assertThat(Overrides.parseValue("'a b'")).isEqualTo("a b");
        assertThat(Overrides.parseValue("null")).isNull();
        assertThat(Overrides.parseValue("pq_cifar_fp")).isEqualTo("pq_cifar_fp");
        assertThatThrownBy(() -> Overrides.parse(List.of("pda"))).hasMessageContaining("expected key=value");
    }

    @Test
    void badValueTypesNameTheSourceAndKey() {
        var r = ConfigLoader.load(null, List.of("template=qu_fmnist_fp", "quantize.reconstruction.max_count=lots"));
        assertThatThrownBy(() -> r.tree().integer("quantize.reconstruction.max_count", 0))
                .hasMessage("command line: key 'quantize.reconstruction.max_count': expected an integer, got 'lots'");
    }
}
