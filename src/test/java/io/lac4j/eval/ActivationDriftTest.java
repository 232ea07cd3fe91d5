package io.lac4j.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.lac4j.data.DataView;
import io.lac4j.data.InMemoryDataset;
import io.lac4j.data.Normalization;
import io.lac4j.engine.Engines;
import io.lac4j.engine.Progress;
import io.lac4j.nn.Graph;
import io.lac4j.nn.Layer;
import io.lac4j.nn.Node;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Exact drift on tiny graphs where the "quantized" graph scales activations by a known factor. */
class ActivationDriftTest {
    private record Scale(float k) implements Layer {
        @Override
        public NDArray forward(NDList in) {
            return in.singletonOrThrow().mul(k);
        }

        @Override
        public String describe() {
            return "Scale(" + k + ")";
        }
    }

    /** Five 1×4×4 images, the third all zero (left out: its relative distance is undefined). */
    private static DataView view() {
        SplittableRandom r = new SplittableRandom(3);
        byte[] px = new byte[5 * 16];
        for (int i = 0; i < px.length; i++) {
            px[i] = i / 16 == 2 ? 0 : (byte) (1 + r.nextInt(250));
        }
        InMemoryDataset ds = new InMemoryDataset("tiny", 1, 4, 4, 2, px, new int[] {0, 1, 0, 1, 0});
        return DataView.clean(ds, Normalization.identity(1));
    }

    @Test
    void relativeDistanceIsTheScaleErrorAtEveryPointAndZeroForIdenticalGraphs() {
        Engines.start();
        try (NDManager run = Engines.newBaseManager()) {
            Graph fp = new Graph(List.of(new Node("a", new Scale(1f), List.of("x")), new Node("b", new Scale(2f), List.of("a"))),
                    "b", run.newSubManager());
            Graph q = new Graph(List.of(new Node("a", new Scale(1f), List.of("x")),
                    new Node("a_q", new Scale(1.25f), List.of("a")), new Node("b", new Scale(2f), List.of("a_q"))),
                    "b", run.newSubManager());
            List<ActivationDrift.Point> points = List.of(new ActivationDrift.Point("x", "x", "x", 8),
                    new ActivationDrift.Point("a", "a", "a_q", 4), new ActivationDrift.Point("b", "b", "b", 4));
            double[] d = ActivationDrift.measure(fp, q, points, view(), 5, 2, run, Progress.NONE, "t");
            assertThat(d[0]).isEqualTo(0.0);
            assertThat(d[1]).isCloseTo(0.25, within(1e-6));
            assertThat(d[2]).isCloseTo(0.25, within(1e-6));
            double[] same = ActivationDrift.measure(fp, fp, List.of(new ActivationDrift.Point("b", "b", "b", 4)),
                    view(), 3, 2, run, Progress.NONE, "t");
            assertThat(same[0]).isEqualTo(0.0);
            assertThatThrownBy(() -> ActivationDrift.measure(fp, q, List.of(new ActivationDrift.Point("c", "c", "c", 4)),
                    view(), 3, 2, run, Progress.NONE, "t")).hasMessageContaining("no node 'c'");
        }
    }
}
