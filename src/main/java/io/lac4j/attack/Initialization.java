package io.lac4j.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.lac4j.nn.Graph;
import io.lac4j.nn.Node;
import java.util.SplittableRandom;

/**
 * PyTorch's default initialisation of a freshly built model: conv/linear weights {@code
 * kaiming_uniform_(a=√5)} = U(−1/√fan_in, 1/√fan_in), biases U(−1/√fan_in, 1/√fan_in); BatchNorm
 * γ = 1, β = 0, running statistics 0 / 1 (as built). Seeded, independent of the engine's RNG.
 */
public final class Initialization {
    private Initialization() {}

    public static void pytorchDefault(Graph g, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        for (Node n : g.nodes()) {
            if (!n.isWeighted()) {
                continue;
            }
            NDArray w = n.weighted().weight();
            Shape s = w.getShape();
            long fanIn = s.size() / s.get(0);
            float bound = (float) (1.0 / Math.sqrt(fanIn));
            g.assign(n.name() + ".weight", uniform(g, r, s, bound));
            if (n.weighted().bias() != null) {
                g.assign(n.name() + ".bias", uniform(g, r, n.weighted().bias().getShape(), bound));
            }
        }
    }

    private static NDArray uniform(Graph g, SplittableRandom r, Shape s, float bound) {
        float[] v = new float[Math.toIntExact(s.size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((r.nextDouble() * 2 - 1) * bound);
        }
        return g.manager().create(v, s);
    }
}
