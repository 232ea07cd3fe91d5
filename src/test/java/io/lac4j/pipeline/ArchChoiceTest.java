package io.lac4j.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import io.lac4j.InputException;
import io.lac4j.engine.Engines;
import io.lac4j.io.PthWriter;
import io.lac4j.io.StateDict;
import io.lac4j.io.TensorData;
import io.lac4j.models.Arch;
import io.lac4j.models.CheckpointLoader;
import io.lac4j.models.ModelSpec;
import io.lac4j.models.ModelZoo;
import io.lac4j.nn.Graph;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --arch NAME} loads that architecture without inferring one, reports every key that does
 * not fit, and errors about a checkpoint's keys name the file (issue 21's points 1, 2 and 4).
 */
class ArchChoiceTest {
    @TempDir Path dir;

    private Path save(ModelSpec spec, String name) {
        try (NDManager m = Engines.newBaseManager(); Graph g = ModelZoo.build(spec, m)) {
            Path f = dir.resolve(name);
            PthWriter.write(f, CheckpointLoader.toStateDict(g));
            return f;
        }
    }

    private static ModelSpec load(Path f, String arch) {
        try (NDManager m = Engines.newBaseManager(); LoadedModel lm = Pipeline.loadModel(ModelSource.of(f, arch), m)) {
            return lm.spec();
        }
    }

    @Test
    void aTorchvisionAlexNetIsInferredAndLoadsByItsName() {
        ModelSpec tv = ModelSpec.of(Arch.ALEXNET, 3, 10, 4).withHidden(16);
        Path f = save(tv, "alexnet.pth");
        assertThat(load(f, "auto")).isEqualTo(tv);
        assertThat(load(f, "alexnet")).isEqualTo(tv);
        assertThatThrownBy(() -> load(f, "alexnet-cifar")).isInstanceOf(InputException.class)
                .hasMessageStartingWith(f.toString()).hasMessageContaining("features.0.weight");
    }

    /** A checkpoint inference refuses (its head does not fit VGG-16's rules) still loads when named. */
    @Test
    void aNamedArchitectureBypassesInference() {
        ModelSpec vgg = ModelSpec.of(Arch.VGG16, 3, 10, 2).withHidden(8);
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        StateDict sd;
        try (NDManager m = Engines.newBaseManager(); Graph g = ModelZoo.build(vgg, m)) {
            sd = CheckpointLoader.toStateDict(g);
        }
        sd.keys().forEach(k -> tensors.put(k, sd.get(k)));
        tensors.put("classifier.0.weight", TensorData.ofFloats(new float[8 * 7 * 7], 8, 7 * 7));   // 1/16 of the expected input
        Path f = dir.resolve("odd_vgg.pth");
        PthWriter.write(f, StateDict.of(tensors));
        assertThatThrownBy(() -> load(f, "auto")).isInstanceOf(InputException.class)
                .hasMessageStartingWith(f + ": state_dict: key 'classifier.0.weight'");
        assertThatThrownBy(() -> load(f, "vgg16")).isInstanceOf(InputException.class)
                .hasMessageStartingWith(f + ": key 'classifier.0.weight': expected shape [8, 784], got [8, 49]");
    }

    @Test
    void mismatchesAreReportedKeyByKey() {
        Path f = save(ModelSpec.of(Arch.RESNET18_CIFAR, 1, 10, 4), "r18.pth");
        assertThatThrownBy(() -> load(f, "preact-resnet18")).isInstanceOf(InputException.class)
                .hasMessageStartingWith(f.toString())
                .hasMessageContaining("keys do not fit preact-resnet18")
                .hasMessageContaining("key 'layer3.0.bn1.weight'")
                .hasMessageContaining("key 'layer2.0.bn1.weight'");
    }

    @Test
    void inferenceErrorsNameTheFile() {
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        tensors.put("encoder.weight", TensorData.ofFloats(new float[8 * 3 * 9], 8, 3, 3, 3));
        Path f = dir.resolve("unknown.pth");
        PthWriter.write(f, StateDict.of(tensors));
        assertThatThrownBy(() -> load(f, "auto")).isInstanceOf(InputException.class)
                .hasMessageStartingWith(f + ": state_dict: expected the keys of a zoo model");
    }
}
