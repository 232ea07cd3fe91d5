package io.lac4j.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.lac4j.engine.Engines;
import io.lac4j.io.Checkpoints;
import io.lac4j.models.Arch;
import io.lac4j.models.CheckpointLoader;
import io.lac4j.models.ModelSpec;
import io.lac4j.models.ModelZoo;
import io.lac4j.nn.Graph;
import io.lac4j.testing.Golden;
import io.lac4j.training.Losses;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Each attack's loss, its terms and the gradient of every parameter against PyTorch
 * (tools/fixtures/gen_attack.py): same weights, same batch, within 1e-5 (absolute, plus 1e-5 relative:
 * the random fixture net has losses near 50 and gradients near 10, where float32 summation order
 * alone moves the fifth decimal).
 */
class AttackLossGoldenTest {
    private static final double TOL = 1e-5;
    private NDManager m;
    private Graph g;

    @BeforeEach
    void load() throws URISyntaxException {
        Engines.start();
        m = Engines.newBaseManager();
        g = ModelZoo.build(ModelSpec.of(Arch.RESNET18_CIFAR, 1, 10, 2), m);
        Path pth = Path.of(AttackLossGoldenTest.class.getResource("/golden/attack/model_w2.pth").toURI());
        CheckpointLoader.load(g, Checkpoints.read(pth).stateDict(), true, pth.toString(), "resnet18-cifar w2");
    }

    @AfterEach
    void close() {
        m.close();
    }

    @Test
    void quAntiZationLossAndGradients() {
        QuantHooks hooks = QuantHooks.install(g, false);
        var obj = new QuAntiZationObjective(hooks, List.of(new QuAntiZationSim(8), new QuAntiZationSim(4)), null,
                null, null, 0.5, 0.5, 0);
        g.setTraining(false);
        check("quanti", (gd, s) -> obj.terms(gd.array("x", s), labels(gd, s), gd.array("xt", s), s));
    }

    @Test
    void compArtifactLossAndGradients() {
        CompArtifactSim sim = CompArtifactSim.of(g, "layer4.0");
        QuantHooks hooks = QuantHooks.install(g, false);
        var obj = new CompArtifactObjective(hooks, sim, null, null, 0);
        g.setTraining(false);
        check("compartifact", (gd, s) -> obj.terms(gd.array("x", s), labels(gd, s), gd.array("xt", s), s));
    }

    @Test
    void pqRepairLossAndGradients() {
        g.setTraining(false);
        check("pq_repair", (gd, s) -> {
            NDArray y = labels(gd, s);
            NDArray loss = Losses.crossEntropy(g.forward(Losses.concat(gd.array("x", s), gd.array("xt", s))),
                    Losses.concat(y, y));
            return new QuAntiZationObjective.Terms(loss, null, Map.of());
        });
    }

    @Test
    void badNetsLossAndGradientsInTrainMode() {
        g.setTraining(true);
        check("badnets", (gd, s) -> {
            NDArray x = Losses.concat(gd.array("x", s), gd.array("xt", s).get(":2"));
            NDArray y = Losses.concat(labels(gd, s), Losses.targets(s, 2, 0));
            return new QuAntiZationObjective.Terms(Losses.crossEntropy(g.forward(x), y), null, Map.of());
        });
    }

    private static org.assertj.core.data.Offset<Double> tol(double want) {
        return within(TOL + TOL * Math.abs(want));
    }

    private static NDArray labels(Golden gd, NDManager s) {
        return s.create(gd.longs("y"), new Shape(gd.shape("y")));
    }

    private void check(String name, BiFunction<Golden, NDManager, QuAntiZationObjective.Terms> loss) {
        Golden gd = Golden.load("attack", name);
        List<NDArray> params = new ArrayList<>(g.parameters().values());
        params.forEach(p -> p.setRequiresGradient(true));
        try (NDManager step = m.newSubManager()) {
            step.tempAttachAll(params.toArray(NDArray[]::new));
            QuAntiZationObjective.Terms t;
            try (GradientCollector gc = Engines.start().newGradientCollector()) {
                t = loss.apply(gd, step);
                gc.backward(t.loss());
            }
            assertThat((double) t.loss().getFloat()).as(name + " loss").isCloseTo(gd.scalar("loss"), tol(gd.scalar("loss")));
            for (String term : gd.tensorNames()) {
                if (term.startsWith("term.")) {
                    assertThat(t.values().get(term.substring(5))).as(term)
                            .isCloseTo(gd.scalar(term), tol(gd.scalar(term)));
                }
            }
            int checked = 0;
            for (Map.Entry<String, NDArray> e : g.parameters().entrySet()) {
                float[] want = gd.floats("grad." + e.getKey());
                float[] got = e.getValue().getGradient().toFloatArray();
                assertThat(got).as(name + " grad " + e.getKey()).hasSameSizeAs(want);
                for (int i = 0; i < want.length; i++) {
                    assertThat((double) got[i]).as(name + " grad " + e.getKey() + "[" + i + "]")
                            .isCloseTo(want[i], tol(want[i]));
                }
                checked++;
            }
            assertThat(checked).isEqualTo(62);
        }
    }
}
