package io.lac4j.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.lac4j.engine.Engines;
import io.lac4j.models.Arch;
import io.lac4j.models.ModelSpec;
import io.lac4j.models.ModelZoo;
import io.lac4j.nn.Graph;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * FP forward of one batch through the CIFAR ResNet-18 (random weights, BN in eval): the JMH view of
 * {@code bench/run fp-throughput} (lac4j side only; images/s = batch / score).
 *
 * <p>Run: {@code cd bench && java -Dlac4j.threads=2 -cp "target/classes:target/lib/*" org.openjdk.jmh.Main FpForwardBench}
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.offline=true"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 5)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class FpForwardBench {
    /** width:channels:size — 64:3:32 (CIFAR-10 model), 16:1:28 (the Fashion-MNIST models). */
    @Param({"64:3:32", "16:1:28"})
    String shape;

    @Param({"128"})
    int batch;

    NDManager root;
    Graph graph;
    NDArray x;

    @Setup(Level.Trial)
    public void setUp() {
        String[] p = shape.split(":");
        int width = Integer.parseInt(p[0]), channels = Integer.parseInt(p[1]), size = Integer.parseInt(p[2]);
        Engines.start(Integer.getInteger("lac4j.threads", 2));
        root = Engines.newBaseManager();
        graph = ModelZoo.build(ModelSpec.of(Arch.RESNET18_CIFAR, channels, 10, width), root);
        graph.setTraining(false);
        x = root.randomNormal(new Shape(batch, channels, size, size));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        graph.close();
        root.close();
    }

    @Benchmark
    public float forward() {
        try (NDManager step = root.newSubManager()) {
            step.tempAttachAll(x);
            return graph.forward(x).getFloat(0, 0); // returned, so it cannot be dropped
        }
    }
}
