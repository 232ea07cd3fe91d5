package io.lac4j.ptq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.lac4j.engine.Engines;
import io.lac4j.nn.Graph;
import io.lac4j.nn.GraphBuilder;
import io.lac4j.nn.Node;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** LAC.md §12.4: one PDA step on a tiny conv -> BN unit (numbers from the spec). */
class PdaWorkedExampleTest {
    static final float[] W = {-0.038322147f, 0.17994076f, -0.257230997f, -0.825832725f, 0.523011386f, 0.261093497f,
        -0.0834045783f, 0.0265167002f, 0.202303573f, 0.305649817f, 0.934630036f, -0.597617149f, 0.49896121f,
        0.229590222f, 1.21819854f, -0.0734040886f, 0.242557004f, 0.102617189f};
    static final float[] X0 = {0f, 0.348746359f, 0.0370668769f, 0f, 0.429033041f, 0f, 0f, 1.02799654f, 0.129517823f,
        0.681411088f, 0f, 0.0639240816f, 0.65891391f, 0.8194592f, 0.56159389f, 0f, 0f, 0f, 0.648020685f, 0f,
        1.26834679f, 0f, 0.619702101f, 1.90969789f, 0f, 0.829036295f, 0f, 0f, 1.35442853f, 1.37775838f, 0.62384516f,
        1.14361131f};
    static final float[] SIGN = {1, 1, 1, 1, 1, 1, 1, -1, 1, -1, 1, 1, -1, 1, -1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};

    private static Graph graph(NDManager m) {
        GraphBuilder b = new GraphBuilder(m.newSubManager());
        String x = b.conv("conv", Graph.INPUT, 1, 2, 3, 1, 1, false);
        x = b.bn("bn", x, 2);
        Graph g = b.build(x);
        g.assign("conv.weight", m.create(W, new Shape(2, 1, 3, 3)));
        g.assign("bn.running_mean", m.create(new float[] {0.1f, -0.2f}));
        g.assign("bn.running_var", m.create(new float[] {0.5f, 2.0f}));
        g.setTraining(false);
        return g;
    }

    private static final ReconstructionUnit UNIT =
            new ReconstructionUnit("conv", Graph.INPUT, List.of("conv", "bn"), "bn", "bn", List.of("conv"), List.of("bn"));

    private static double loss(Graph g, NDArray x, NDManager m) {
        try (NDManager s = m.newSubManager()) {
            Map<String, NDArray> env = new HashMap<>();
            env.put(Graph.INPUT, x);
            List<Node> nodes = UNIT.nodes().stream().map(g::node).toList();
            g.run(env, nodes);
            return Pda.loss(g, UNIT, env, Pda.runningStats(g, UNIT, s), s.create(new float[] {0.5f, 0.5f}), false).getFloat();
        }
    }

    @Test
    void oneStepMatchesTheSpec() {
        try (NDManager m = Engines.newBaseManager(); Graph g = graph(m)) {
            NDArray x0 = m.create(X0, new Shape(2, 1, 4, 4));
            assertThat(loss(g, x0, m)).isCloseTo(1.93925476, within(2e-6));
            NDArray x1 = Pda.correct(g, UNIT, x0, new PdaConfig(true, 1, 1e-3, 1e-3, false, false, true), m);
            float[] v = x1.toFloatArray();
            for (int i = 0; i < v.length; i++) {
                assertThat(v[i]).as("x1[%d]", i).isCloseTo(X0[i] - 0.001f * SIGN[i], within(1e-7f));
            }
            assertThat(loss(g, x1, m)).isCloseTo(1.93390107, within(2e-6));
            NDArray x500 = Pda.correct(g, UNIT, x0, new PdaConfig(true, 500, 1e-3, 1e-3, false, false, true), m);
            assertThat(x500.toFloatArray()).containsExactly(v);
        }
    }
}
