package io.lac4j.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.lac4j.engine.Engines;
import io.lac4j.nn.Graph;
import io.lac4j.testing.Golden;
import io.lac4j.testing.Tensors;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Java logits equal PyTorch's (tools/fixtures/gen_models.py) in eval and train-mode BatchNorm. */
class ZooGoldenTest {
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("resnet18_cifar", ModelSpec.of(Arch.RESNET18_CIFAR, 1, 10, 4)),
                Arguments.of("resnet18_cifar_rgb", ModelSpec.of(Arch.RESNET18_CIFAR, 3, 10, 4)),
                Arguments.of("resnet18", ModelSpec.of(Arch.RESNET18, 3, 1000, 4)),
                Arguments.of("resnet34", ModelSpec.of(Arch.RESNET34, 3, 10, 2)),
                Arguments.of("resnet50", ModelSpec.of(Arch.RESNET50, 3, 10, 2)));
    }

    static void load(Graph g, Golden golden, NDManager m) {
        for (String key : g.stateDict().keySet()) {
            String name = "state." + key;
            NDArray v = key.endsWith("num_batches_tracked")
                    ? m.create(golden.longs(name)[0])
                    : golden.array(name, m);
            g.assign(key, v);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void logitsMatchPyTorch(String name, ModelSpec spec) {
        Golden golden = Golden.load("models", name);
        try (NDManager m = Engines.newBaseManager(); Graph g = ModelZoo.build(spec, m)) {
            Set<String> expectedKeys = keysWithPrefix(golden, "state.");
            assertThat(new TreeSet<>(g.stateDict().keySet())).isEqualTo(new TreeSet<>(expectedKeys));
            load(g, golden, m);
            NDArray x = golden.array("input", m);

            g.setTraining(false);
            Tensors.assertClose(g.forward(x), golden.floats("eval_logits"), golden.shape("eval_logits"), 0, 1e-4);

            g.setTraining(true);
            Tensors.assertClose(g.forward(x), golden.floats("train_logits"), golden.shape("train_logits"), 0, 1e-4);
            for (String key : keysWithPrefix(golden, "after_train.")) {
                NDArray t = g.tensor(key);
                if (t.getDataType() == DataType.INT64) {
                    assertThat(t.getLong()).as(key).isEqualTo(golden.longs("after_train." + key)[0]);
                } else {
                    Tensors.assertClose(t, golden.floats("after_train." + key),
                            new Shape(golden.shape("after_train." + key)).getShape(), 1e-5, 1e-5);
                }
            }
        }
    }

    private static Set<String> keysWithPrefix(Golden golden, String prefix) {
        Set<String> out = new TreeSet<>();
        golden.tensorNames().forEach(n -> {
            if (n.startsWith(prefix)) {
                out.add(n.substring(prefix.length()));
            }
        });
        return out.stream().collect(Collectors.toCollection(TreeSet::new));
    }
}
