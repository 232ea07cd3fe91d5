package io.lac4j.attack;

import io.lac4j.optim.Sgd;
import io.lac4j.optim.Adam;
import io.lac4j.optim.Optimizer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.lac4j.engine.Engines;
import io.lac4j.testing.Golden;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SGD (plain, momentum, Nesterov, weight decay) and Adam with L2 decay: three steps as torch.optim does them. */
class OptimizerGoldenTest {
    @ParameterizedTest
    @ValueSource(strings = {"sgd_nesterov", "sgd_momentum", "sgd_plain", "adam_wd"})
    void threeStepsMatchTorch(String name) {
        Golden gd = Golden.load("attack", "optim");
        BiFunction<List<NDArray>, NDManager, Optimizer> make = switch (name) {
            case "sgd_nesterov" -> (ps, m) -> new Sgd(ps, m, 0.9, 5e-4, true);
            case "sgd_momentum" -> (ps, m) -> new Sgd(ps, m, 0.4, 5e-4, false);
            case "sgd_plain" -> (ps, m) -> new Sgd(ps, m, 0, 0, false);
            default -> (ps, m) -> new Adam(ps, m, 1e-4);
        };
        double lr = name.startsWith("adam") ? 1e-2 : 0.1;
        Engines.start();
        try (NDManager m = Engines.newBaseManager()) {
            NDArray p = gd.array("p0", m);
            p.setRequiresGradient(true);
            Optimizer opt = make.apply(List.of(p), m);
            for (int i = 0; i < 3; i++) {
                try (NDManager step = m.newSubManager()) {
                    step.tempAttachAll(p);
                    NDArray g = step.create(gd.floats("g" + i), new Shape(gd.shape("g" + i)));
                    try (GradientCollector gc = Engines.start().newGradientCollector()) {
                        gc.backward(p.mul(g).sum());
                    }
                    opt.step(lr);
                }
                float[] want = gd.floats(name + "." + i);
                float[] got = p.toFloatArray();
                for (int k = 0; k < want.length; k++) {
                    assertThat(got[k]).as(name + " step " + i + " [" + k + "]").isCloseTo(want[k], within(1e-6f));
                }
            }
            assertThat(opt.steps()).isEqualTo(3);
        }
    }
}
