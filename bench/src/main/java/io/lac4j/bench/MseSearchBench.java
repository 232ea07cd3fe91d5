package io.lac4j.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.lac4j.engine.Engines;
import io.lac4j.quant.EmaMseObserver;
import io.lac4j.quant.Granularity;
import io.lac4j.quant.MseObserver;
import io.lac4j.quant.Observer;
import io.lac4j.quant.QScheme;
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
 * One MSE-observer update (the 95-candidate per-tensor search of an activation, or the
 * 80-candidate per-channel search of a weight): the inner cost of {@code bench/run calibration}.
 * {@code act} is a [32, 16, 28, 28] activation (the first block of the width-16 Fashion-MNIST
 * ResNet-18), {@code weight} a [64, 64, 3, 3] conv weight (the largest one at width 16: layer4).
 *
 * <p>Run: {@code cd bench && java -Dlac4j.threads=2 -cp "target/classes:target/lib/*" org.openjdk.jmh.Main MseSearchBench}
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.offline=true"})
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class MseSearchBench {
    @Param({"act", "weight"})
    String tensor;

    NDManager root;
    NDArray x;
    Observer observer;

    @Setup(Level.Trial)
    public void setUp() {
        Engines.start(Integer.getInteger("lac4j.threads", 2));
        root = Engines.newBaseManager();
        if (tensor.equals("act")) {
            x = root.randomNormal(new Shape(32, 16, 28, 28)).maximum(0f);
            observer = new EmaMseObserver(QScheme.asymmetric(4, Granularity.PER_TENSOR));
        } else {
            x = root.randomNormal(0f, 0.05f, new Shape(64, 64, 3, 3), ai.djl.ndarray.types.DataType.FLOAT32);
            observer = new MseObserver(QScheme.asymmetric(4, Granularity.PER_CHANNEL));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        root.close();
    }

    @Benchmark
    public float observe() {
        observer.observe(x);
        return observer.maxVal()[0]; // returned, so it cannot be dropped
    }
}
