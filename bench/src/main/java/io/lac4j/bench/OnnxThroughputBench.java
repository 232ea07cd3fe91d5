package io.lac4j.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.lac4j.deploy.OnnxExport;
import io.lac4j.deploy.OnnxRuntimeModel;
import io.lac4j.engine.Engines;
import io.lac4j.engine.Progress;
import io.lac4j.models.Arch;
import io.lac4j.models.ModelSpec;
import io.lac4j.models.ModelZoo;
import io.lac4j.nn.Graph;
import io.lac4j.quant.Calibration;
import io.lac4j.quant.PrepareOptions;
import io.lac4j.quant.QuantPreset;
import io.lac4j.quant.QuantizedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One batch of 128 Fashion-MNIST-sized images through the same MQBench Academic W8A8 model: lac4j's
 * fake-quantized evaluation vs its ONNX QDQ export in ONNX Runtime (CPU, same thread count). The
 * width-16 CIFAR ResNet-18 has random weights and is calibrated on random batches; images/s = 128 /
 * score.
 *
 * <p>Run: {@code cd bench && java -Dlac4j.threads=2 -cp "target/classes:target/lib/*" org.openjdk.jmh.Main OnnxThroughputBench}
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.offline=true"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 5)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class OnnxThroughputBench {
    static final int BATCH = 128;

    NDManager root;
    Graph fp;
    QuantizedModel qm;
    OnnxRuntimeModel ort;
    NDArray x;
    Path file;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        int threads = Integer.getInteger("lac4j.threads", 2);
        Engines.start(threads);
        root = Engines.newBaseManager();
        fp = ModelZoo.build(ModelSpec.of(Arch.RESNET18_CIFAR, 1, 10, 16), root);
        for (Map.Entry<String, NDArray> e : fp.stateDict().entrySet()) {
            if (e.getKey().endsWith("weight") && e.getValue().getShape().dimension() > 1) {
                long fanIn = e.getValue().getShape().size() / e.getValue().getShape().get(0);
                fp.assign(e.getKey(), fp.manager().randomNormal(0f, (float) Math.sqrt(2.0 / fanIn), e.getValue().getShape(),
                        e.getValue().getDataType()));
            }
        }
        fp.setTraining(false);
        qm = QuantizedModel.prepare(fp, QuantPreset.ACADEMIC_W8A8.config(), PrepareOptions.ACADEMIC, root);
        Calibration.run(qm, 4, (k, m) -> m.randomNormal(new Shape(32, 1, 28, 28)), root, Progress.NONE);
        file = Files.createTempFile("lac4j-bench", ".onnx");
        OnnxExport.write(qm, new int[] {1, 28, 28}, Map.of(), file);
        ort = OnnxRuntimeModel.open(file, threads);
        x = root.randomNormal(new Shape(BATCH, 1, 28, 28));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        ort.close();
        qm.close();
        fp.close();
        root.close();
        Files.deleteIfExists(file);
    }

    @Benchmark
    public float lac4jFakeQuant() {
        try (NDManager step = root.newSubManager()) {
            step.tempAttachAll(x);
            return qm.forward(x).getFloat(0, 0);
        }
    }

    @Benchmark
    public float onnxRuntime() {
        try (NDManager step = root.newSubManager()) {
            step.tempAttachAll(x);
            return ort.forward(x).getFloat(0, 0);
        }
    }
}
